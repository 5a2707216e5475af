import { stringOption, type CommandSpec } from "../command.js";
import { parseProgram } from "../../parse/index.js";
import { hessian } from "../../diff/index.js";
import { toLatex, toText } from "../../render/index.js";
import { DeriveError } from "../../errors.js";
import { jsonNumber } from "../io.js";
import { conditionNumber, symmetricEigenvalues } from "../../numeric/eigen.js";
import { keepNames, parseBindings, valueAt, wrtNames } from "./shared.js";

export const hessianCommand: CommandSpec = {
  name: "hessian",
  summary: "Hessian: the matrix of second derivatives",
  examples: ['derive hessian "(x1 - 6)^2 + x2^2 - x1*x2"', 'derive hessian "log(1 + exp(w1*x + w2))" --wrt w1,w2 --at w1=0,w2=0,x=1 --format json'],
  options: [
    { flags: "--wrt <names>", description: "variables, comma-separated (default: every variable in order of first appearance)" },
    { flags: "--at <values>", description: "also evaluate each entry, e.g. x=1,y=2" },
    { flags: "--keep <names>", description: "intermediate names to keep in the results (comma-separated, or all)" },
    { flags: "--raw", description: "skip simplification" },
    { flags: "--eigen", description: "with --at: also the eigenvalues (largest first) and the condition number" },
  ],
  run(input, options) {
    const program = parseProgram(input);
    const wrt = wrtNames(stringOption(options, "wrt"), program);
    if (wrt.length === 0) throw new DeriveError("the input has no variables to take the Hessian by; give --wrt");
    const keep = keepNames(stringOption(options, "keep"), program);
    const h = hessian(program, wrt, { keep, raw: options.raw === true });
    const bindings = parseBindings(stringOption(options, "at"), program);
    const values = bindings ? h.map((row) => row.map((e) => valueAt(program, e, bindings))) : undefined;
    const texts = h.map((row) => row.map(toText));
    const json: Record<string, unknown> = { wrt, hessian: texts };
    if (values) json.values = values.map((row) => row.map(jsonNumber));
    let eigenText = "";
    if (options.eigen === true) {
      if (!values) throw new DeriveError("--eigen needs a point: give --at");
      const eigenvalues = symmetricEigenvalues(values);
      const condition = conditionNumber(eigenvalues);
      json.eigenvalues = eigenvalues.map(jsonNumber);
      json.condition = jsonNumber(condition);
      eigenText = `\neigenvalues: ${eigenvalues.join(", ")}\ncondition number: ${condition}`;
    }
    // matrix literal syntax: [[a, b], [c, d]]
    const text = `[${texts.map((row) => `[${row.join(", ")}]`).join(", ")}]` + (values ? `\n= [${values.map((row) => `[${row.join(", ")}]`).join(", ")}]` : "") + eigenText;
    const latex = `\\begin{pmatrix} ${h.map((row) => row.map(toLatex).join(" & ")).join(" \\\\ ")} \\end{pmatrix}`;
    return { json, text, latex };
  },
};

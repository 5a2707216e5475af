import { stringOption, type CommandSpec } from "../command.js";
import { parseProgram } from "../../parse/index.js";
import { gradient } from "../../diff/index.js";
import { toLatex, toText } from "../../render/index.js";
import { DeriveError } from "../../errors.js";
import { jsonNumber } from "../io.js";
import { keepNames, parseBindings, valueAt, wrtNames } from "./shared.js";

export const gradCommand: CommandSpec = {
  name: "grad",
  summary: "gradient: the derivative by each variable (in order of appearance unless --wrt)",
  examples: [
    'derive grad "(x1 - 6)^2 + x2^2 - x1*x2" --at x1=6,x2=6',
    'derive grad "z = tanh(b + w*x); f = sigmoid(c + u*z); L = -y*log(f) - (1-y)*log(1-f); L" --wrt b,w,c,u --keep all',
  ],
  options: [
    { flags: "--wrt <names>", description: "variables, comma-separated (default: every variable in order of first appearance)" },
    { flags: "--at <values>", description: "also evaluate each component, e.g. x=1,y=2" },
    { flags: "--keep <names>", description: "intermediate names to keep in the results (comma-separated, or all)" },
    { flags: "--raw", description: "skip simplification" },
  ],
  run(input, options) {
    const program = parseProgram(input);
    const wrt = wrtNames(stringOption(options, "wrt"), program);
    if (wrt.length === 0) throw new DeriveError("the input has no variables to take the gradient by; give --wrt");
    const keep = keepNames(stringOption(options, "keep"), program);
    const components = gradient(program, wrt, { keep, raw: options.raw === true });
    const bindings = parseBindings(stringOption(options, "at"), program);
    const values = bindings ? components.map((c) => valueAt(program, c, bindings)) : undefined;
    const texts = components.map(toText);
    const latexes = components.map(toLatex);
    // Object.fromEntries defines own properties: a variable called __proto__ stays a plain key
    const json: Record<string, unknown> = {
      wrt,
      gradient: Object.fromEntries(wrt.map((w, i) => [w, texts[i]!])),
      latex: Object.fromEntries(wrt.map((w, i) => [w, latexes[i]!])),
    };
    if (values) json.values = Object.fromEntries(wrt.map((w, i) => [w, jsonNumber(values[i]!)]));
    const text = wrt.map((w, i) => `${w}: ${texts[i]}${values ? ` = ${values[i]}` : ""}`).join("\n");
    const latex = `\\nabla = \\begin{pmatrix} ${latexes.join(" \\\\ ")} \\end{pmatrix}`;
    return { json, text, latex };
  },
};

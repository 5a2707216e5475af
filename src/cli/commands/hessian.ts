import type { CommandSpec } from "../command.js";
import { matrixHessianOutput, matrixSetup } from "./matrix.js";
import { parseProgram } from "../../parse/index.js";
import { hessian } from "../../diff/index.js";
import { toLatex, toText } from "../../render/index.js";
import { jsonNumber } from "../io.js";
import { indexHessian, indexSetup } from "./index-program.js";
import { derivativeSetup, eigenSummary, hessianText, KEEP_OPTION, RAW_OPTION, valueAt, WRT_ALL_OPTION } from "./shared.js";

export const hessianCommand: CommandSpec = {
  name: "hessian",
  summary: "Hessian: the matrix of second derivatives",
  examples: ['derive hessian "(x1 - 6)^2 + x2^2 - x1*x2"', 'derive hessian "log(1 + exp(w1*x + w2))" --wrt w1,w2 --at w1=0,w2=0,x=1 --format json'],
  options: [
    WRT_ALL_OPTION,
    { flags: "--at <values>", description: "also evaluate each entry, e.g. x=1,y=2" },
    KEEP_OPTION,
    RAW_OPTION,
    { flags: "--eigen", description: "with --at: also the eigenvalues (largest first) and the condition number" },
  ],
  run(input, options) {
    const indexed = indexSetup(input, options);
    if (indexed) return indexHessian(indexed, options);
    const matrix = matrixSetup(input, options);
    if (matrix) return matrixHessianOutput(matrix, options);
    const { program, wrt, options: diffOptions, bindings } = derivativeSetup(parseProgram(input), options, "Hessian");
    const h = hessian(program, wrt, diffOptions);
    const values = bindings ? h.map((row) => row.map((e) => valueAt(program, e, bindings))) : undefined;
    const texts = h.map((row) => row.map(toText));
    const json: Record<string, unknown> = { wrt, hessian: texts };
    if (values) json.values = values.map((row) => row.map(jsonNumber));
    const eigenText = eigenSummary(values, options, json);
    // matrix literal syntax: [[a, b], [c, d]]
    const text = hessianText(texts, values) + eigenText;
    const latex = `\\begin{pmatrix} ${h.map((row) => row.map(toLatex).join(" & ")).join(" \\\\ ")} \\end{pmatrix}`;
    return { json, text, latex };
  },
};

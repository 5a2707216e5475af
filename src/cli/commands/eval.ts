import type { CommandSpec } from "../command.js";
import { indexSetup, indexEval } from "./index-program.js";
import { matrixSetup, matrixEval } from "./matrix.js";
import { stringOption } from "../command.js";
import { parseProgram } from "../../parse/index.js";
import { inline } from "../../program/index.js";
import { evaluate } from "../../numeric/index.js";
import { jsonNumber } from "../io.js";
import { parseBindings } from "./shared.js";

export const evalCommand: CommandSpec = {
  name: "eval",
  summary: "evaluate an expression or program at a point",
  examples: ['derive eval "(x1 - 6)^2 + x2^2 - x1*x2" --at x1=6,x2=6', 'derive eval "sigmoid(w x)" --at w=0.25,x=0.63 --format json'],
  options: [{ flags: "--at <values>", description: "values of the variables, e.g. x=1,y=2 (values may be constant expressions such as pi/4)" }],
  run(input, options) {
    const indexed = indexSetup(input, options);
    if (indexed) return indexEval(indexed);
    const matrix = matrixSetup(input, options);
    if (matrix) return matrixEval(matrix);
    const program = parseProgram(input);
    const bindings = parseBindings(stringOption(options, "at"), program) ?? new Map<string, number>();
    const value = evaluate(inline(program), bindings);
    const text = String(value);
    return { json: { value: jsonNumber(value) }, text, latex: text };
  },
};

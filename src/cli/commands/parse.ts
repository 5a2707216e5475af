import type { CommandSpec } from "../command.js";
import { indexSetup, indexParse } from "./index-program.js";
import { matrixSetup, matrixParse } from "./matrix.js";
import { parseProgram } from "../../parse/index.js";
import { programToLatex, programToText } from "../../render/index.js";

export const parseCommand: CommandSpec = {
  name: "parse",
  summary: "parse an expression or program and print it back in canonical form",
  examples: ['derive parse "2x(x+1)^2"', 'derive parse "σ(w_12 x)" --format latex', 'derive parse --file net.txt --format json'],
  options: [],
  run(input, options) {
    const indexed = indexSetup(input, options);
    if (indexed) return indexParse(indexed);
    const matrix = matrixSetup(input, options);
    if (matrix) return matrixParse(matrix);
    const program = parseProgram(input);
    const text = programToText(program);
    const latex = programToLatex(program);
    return { json: { text, latex }, text, latex };
  },
};

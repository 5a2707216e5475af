import type { CommandSpec } from "../command.js";
import { parseProgram } from "../../parse/index.js";
import { inline } from "../../program/index.js";
import { simplify } from "../../simplify/index.js";
import { toLatex, toText } from "../../render/index.js";

export const simplifyCommand: CommandSpec = {
  name: "simplify",
  summary: "simplify an expression (a program is inlined first)",
  examples: ['derive simplify "exp(-x)/(1+exp(-x))^2"', 'derive simplify "1/2 + 1/3" --format json'],
  options: [],
  run(input) {
    const result = simplify(inline(parseProgram(input)));
    const text = toText(result);
    const latex = toLatex(result);
    return { json: { result: text, latex }, text, latex };
  },
};

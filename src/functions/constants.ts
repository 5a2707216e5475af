import type { ConstantDef } from "./deps.js";

/** Named constants. `e` and `pi` are symbols the evaluator, printers and compiler resolve here. */
export const CONSTANTS: readonly ConstantDef[] = [
  { name: "pi", aliases: ["π"], value: Math.PI, latex: "\\pi", js: "Math.PI" },
  { name: "e", aliases: [], value: Math.E, latex: "e", js: "Math.E" },
];

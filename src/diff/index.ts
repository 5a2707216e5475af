export { differentiate, derivative } from "./differentiate.js";
export { differentiateProgram, gradient, hessian } from "./program.js";
export type { DiffStep, DiffOptions, ProgramDiffOptions, StructuralRule } from "./types.js";

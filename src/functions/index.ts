export * from "./registry.js";
export type { FunctionDef, ConstantDef, Domain } from "./types.js";

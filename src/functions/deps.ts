/** The only things function entries use from elsewhere: the AST. (Functions never import diff,
 * render or compile; those read the registry instead.) */
export * from "../ast/index.js";
export type { FunctionDef, ConstantDef, Domain } from "./types.js";

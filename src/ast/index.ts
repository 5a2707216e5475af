export * from "./nodes.js";
export { compareExpr, compareNames } from "./order.js";
export * as Q from "./rational.js";
export type { Rational } from "./rational.js";
export * from "./transform.js";

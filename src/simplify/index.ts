export { simplify } from "./simplify.js";
export { operatorCount } from "./size.js";

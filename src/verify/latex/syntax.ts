/** The syntax tree the LaTeX grammar builds; src/verify/latex/read.ts turns it into an Expr. */
import type { LatexToken } from "./lexer.js";

export type Node =
  | { readonly type: "number"; readonly token: LatexToken }
  | { readonly type: "name"; readonly token: LatexToken; readonly sub?: readonly (readonly LatexToken[])[] }
  | { readonly type: "binary"; readonly op: "+" | "-" | "*" | "/" | "implicit"; readonly left: Node; readonly right: Node }
  | { readonly type: "negate"; readonly operand: Node }
  | { readonly type: "power"; readonly base: Node; readonly exp: Node }
  | { readonly type: "call"; readonly fn: LatexToken; readonly arg: Node; readonly power?: Node; readonly prime: boolean }
  | { readonly type: "apply"; readonly name: Node; readonly args: readonly Node[] }
  /** f'(x) for a one-parameter user function. */
  | { readonly type: "derivedApply"; readonly name: Node; readonly arg: Node }
  | { readonly type: "frac"; readonly num: Node; readonly den: Node }
  | { readonly type: "sqrt"; readonly arg: Node; readonly index?: Node }
  | { readonly type: "abs"; readonly arg: Node }
  | { readonly type: "group"; readonly inner: Node; readonly bracket?: "[" }
  /** A tuple (a, b) or [a, b]; a "[" list of "[" lists is a matrix's rows. */
  | { readonly type: "list"; readonly bracket: "(" | "["; readonly items: readonly Node[] }
  | { readonly type: "matrix"; readonly env: LatexToken; readonly rows: readonly (readonly Node[])[] }
  /** \nabla f, \nabla^2 f, \nabla f(a, b): everything in the token's parts. */
  | { readonly type: "nabla"; readonly token: LatexToken }
  | { readonly type: "dop"; readonly token: LatexToken; readonly body: Node }
  | { readonly type: "leib"; readonly token: LatexToken }
  | { readonly type: "sum"; readonly token: LatexToken; readonly body: Node }
  | { readonly type: "transpose"; readonly base: Node };

type T = LatexToken;
export const number = (token: T): Node => ({ type: "number", token });
export const name = (token: T): Node => ({ type: "name", token });
/** A subscript: groups of tokens separated by commas. */
export const subscripted = (token: T, sub: readonly (readonly T[])[]): Node => ({ type: "name", token, sub });
export const binary = (op: "+" | "-" | "*" | "/" | "implicit", left: Node, right: Node): Node => ({ type: "binary", op, left, right });
export const negate = (operand: Node): Node => ({ type: "negate", operand });
export const power = (base: Node, exp: Node): Node => (exp.type === "transpose" ? { type: "transpose", base } : { type: "power", base, exp });
export const call = (fn: T, arg: Node, powerNode: Node | null, prime: unknown): Node =>
  powerNode ? { type: "call", fn, arg, power: powerNode, prime: !!prime } : { type: "call", fn, arg, prime: !!prime };
export const apply = (n: Node, args: readonly Node[]): Node => ({ type: "apply", name: n, args });
export const derivedApply = (n: Node, arg: Node): Node => ({ type: "derivedApply", name: n, arg });
export const frac = (num: Node, den: Node): Node => ({ type: "frac", num, den });
export const sqrt = (arg: Node, index: Node | null): Node => (index ? { type: "sqrt", arg, index } : { type: "sqrt", arg });
export const abs = (arg: Node): Node => ({ type: "abs", arg });
export const group = (inner: Node, bracket?: "["): Node => (bracket ? { type: "group", inner, bracket } : { type: "group", inner });
export const list = (bracket: "(" | "[", items: readonly Node[]): Node => ({ type: "list", bracket, items });
export const matrix = (env: T, rows: readonly (readonly Node[])[]): Node => ({ type: "matrix", env, rows });
export const nabla = (token: T): Node => ({ type: "nabla", token });
export const dop = (token: T, body: Node): Node => ({ type: "dop", token, body });
export const leib = (token: T): Node => ({ type: "leib", token });
export const sum = (token: T, body: Node): Node => ({ type: "sum", token, body });
export const transpose: Node = { type: "transpose", base: { type: "group", inner: { type: "number", token: { type: "number", value: "0", offset: 0, text: "0" } } } };

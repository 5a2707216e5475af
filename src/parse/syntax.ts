/**
 * The plain syntax tree the grammar produces, before names are resolved (build.ts turns it into
 * `Expr`s). Every node keeps the tokens it came from, so errors can point at them.
 *
 * Lists (sums, products, power chains, argument lists) come from LEFT-recursive rules, which keep
 * the Earley parser linear on long inputs; they arrive left-nested and build.ts walks them with
 * loops and an explicit stack, never by recursion. In particular a chain `a ^ b ^ c` arrives as
 * Power(Power(a, b), c) and means a^(b^c): an exponent is always a postfix (an atom with optional
 * superscripts), so a Power whose base is a Power (not a Group) is always such a chain.
 */
import { DeriveError } from "../errors.js";
import type { Token } from "./lexer.js";

/** A persistent singly linked list, newest item first: O(1) appends in left-recursive rules. */
export interface Cons<T> {
  readonly item: T;
  readonly prev: Cons<T> | null;
}

export const cons = <T>(prev: Cons<T> | null, item: T): Cons<T> => ({ item, prev });

/** Items of a cons list in source order. */
export function listItems<T>(list: Cons<T> | null): T[] {
  const out: T[] = [];
  for (let c = list; c; c = c.prev) out.push(c.item);
  return out.reverse();
}

export interface NumberNode {
  readonly type: "number";
  readonly token: Token;
}

export interface NameNode {
  readonly type: "name";
  readonly token: Token;
}

/** `f(a, b)`: a function application, or an implicit product `x(…)`; build.ts decides. */
export interface ApplyNode {
  readonly type: "apply";
  readonly callee: Token;
  readonly args: Cons<Syntax>;
  readonly close: Token;
}

export interface GroupNode {
  readonly type: "group";
  readonly open: Token;
  readonly inner: Syntax;
}

/** `d/dx(expr)`: the derivative operator; build.ts differentiates (unsimplified). */
export interface DerivNode {
  readonly type: "deriv";
  readonly token: Token;
  readonly inner: Syntax;
}

/** `⊙` is the elementwise product (also typed `.*`); on scalars it is the ordinary product. */
export type BinaryOperator = "+" | "-" | "*" | "/" | "⊙" | "implicit";

export interface BinaryNode {
  readonly type: "binary";
  readonly op: BinaryOperator;
  readonly left: Syntax;
  readonly right: Syntax;
  /** The operator token (absent for implicit multiplication). */
  readonly token: Token | null;
}

/** One or more minus signs in front of an operand: `-x^2`, `- -3`. */
export interface NegateNode {
  readonly type: "negate";
  readonly token: Token;
  readonly count: number;
  readonly operand: Syntax;
}

/** `base ^ exponent`, where the exponent may carry minus signs (`2^-1`); see the module note. */
export interface PowerNode {
  readonly type: "power";
  readonly base: Syntax;
  readonly token: Token;
  /** Minus signs in front of the exponent. */
  readonly signs: number;
  readonly exponent: Syntax;
}

/** A superscript power `x²`, `x⁻¹`. */
export interface SuperscriptNode {
  readonly type: "superscript";
  readonly base: Syntax;
  readonly token: Token;
}

/** `A'`, `Aᵀ`: the transpose (`A^T` arrives as a PowerNode; the matrix builder decides). */
export interface TransposeNode {
  readonly type: "transpose";
  readonly base: Syntax;
  readonly token: Token;
}

/** `[a, b, …]`: a group when it holds one item, else a vector or matrix literal (rows are brackets). */
export interface BracketNode {
  readonly type: "bracket";
  readonly open: Token;
  readonly items: Cons<Syntax>;
  readonly close: Token;
}

/** `||v||`: the Euclidean (Frobenius for matrices) norm. */
export interface NormNode {
  readonly type: "norm";
  readonly open: Token;
  readonly inner: Syntax;
}

/**
 * `Σ_{i=1}^{n} body` (also ∑): a sum over i whose body is the rest of the term, a product:
 * Σ_{i=1}^{n} x_i y_i + 1 is (Σ x_i y_i) + 1.
 */
export interface BigSumNode {
  readonly type: "bigsum";
  /** The whole operator token, `Σ_{i=1}^{n}`. */
  readonly token: Token;
  /** The index as typed ("i"). */
  readonly index: string;
  /** The bounds as typed, trimmed ("1", "n", "10"); null when not given (∑_i). */
  readonly lower: string | null;
  readonly upper: string | null;
  readonly body: Syntax;
}

export type Syntax =
  | NumberNode
  | NameNode
  | ApplyNode
  | GroupNode
  | DerivNode
  | BinaryNode
  | NegateNode
  | PowerNode
  | SuperscriptNode
  | TransposeNode
  | BracketNode
  | NormNode
  | BigSumNode;

export interface ExpressionStatement {
  readonly type: "expression";
  readonly expr: Syntax;
}

export interface ValueDefinitionStatement {
  readonly type: "define";
  readonly name: Token;
  readonly body: Syntax;
}

export interface FunctionDefinitionStatement {
  readonly type: "function";
  readonly name: Token;
  readonly params: Cons<Token>;
  readonly body: Syntax;
}

/** `W: matrix`, `W: matrix(2, 3)`, `x: vector(d)`, `s: scalar`: what kind of value a name holds. */
export interface DeclarationStatement {
  readonly type: "declare";
  readonly name: Token;
  readonly kind: Token;
  /** The sizes in parentheses, if given. */
  readonly sizes: Cons<Syntax> | null;
}

export type Statement = ExpressionStatement | ValueDefinitionStatement | FunctionDefinitionStatement | DeclarationStatement;

/** Minus signs in front of an operand: the first sign and how many there are. */
export interface Signs {
  readonly token: Token;
  readonly count: number;
}

/** An exponent with its minus signs. */
export interface Exponent {
  readonly signs: number;
  readonly operand: Syntax;
}

/** The direct children of a syntax node. */
export function syntaxChildren(n: Syntax): Syntax[] {
  switch (n.type) {
    case "number":
    case "name":
      return [];
    case "apply":
      return listItems(n.args);
    case "bracket":
      return listItems(n.items);
    case "group":
    case "deriv":
    case "norm":
      return [n.inner];
    case "negate":
      return [n.operand];
    case "binary":
      return [n.left, n.right];
    case "power":
      return [n.base, n.exponent];
    case "superscript":
    case "transpose":
      return [n.base];
    case "bigsum":
      return [n.body];
  }
}

/** A malformed summation operator; the lexer reports it at the token (with the source line). */
export class BigSumError extends Error {}

/** The parts of a summation operator token. */
export interface BigSumParts {
  readonly index: string;
  readonly lower: string | null;
  readonly upper: string | null;
}

/**
 * Reads a `bigsum` token (`Σ_{i=1}^{n}`, `∑_{i = 1}^10`, `∑_i`, as the lexer matched it) into its
 * index and bounds; throws a BigSumError saying what is wrong with it.
 */
export function bigSumParts(text: string): BigSumParts {
  const symbol = text[0]!;
  const example = `${symbol}_{i=1}^{n}`;
  let rest = text.slice(1);
  const braced = (part: string): string => (part.startsWith("{") ? part.slice(1, -1) : part);
  let subscript: string | null = null;
  if (rest.startsWith("_")) {
    rest = rest.slice(1);
    // `{…}` (which may hold a "^") or a run of letters and digits
    const end = rest.startsWith("{") ? rest.indexOf("}") + 1 : rest.includes("^") ? rest.indexOf("^") : rest.length;
    subscript = braced(rest.slice(0, end));
    rest = rest.slice(end);
  }
  let upper: string | null = null;
  if (rest.startsWith("^")) {
    upper = braced(rest.slice(1)).trim();
    if (upper === "") throw new BigSumError(`"^" after ${symbol} needs the upper bound, as in ${example}`);
  }
  if (subscript === null || subscript.trim() === "") throw new BigSumError(`${symbol} needs an index (and bounds), as in ${example}`);
  let index = subscript.trim();
  let lower: string | null = null;
  const equals = subscript.indexOf("=");
  if (equals >= 0) {
    index = subscript.slice(0, equals).trim();
    lower = subscript.slice(equals + 1).trim();
    if (lower === "" || lower.includes("=")) throw new BigSumError(`the lower bound of ${symbol} goes after "=", as in ${example}`);
  }
  if (!/^[a-z]$/.test(index)) {
    throw new BigSumError(`the index of ${symbol} is a single lower-case letter, as in ${example}${index === "" ? "" : `, not ${JSON.stringify(index)}`}`);
  }
  return { index, lower, upper };
}

// Constructors used by the grammar's postprocessors (kept here so they are type-checked).

export const numberNode = (token: Token): NumberNode => ({ type: "number", token });
export const nameNode = (token: Token): NameNode => ({ type: "name", token });
export const applyNode = (callee: Token, args: Cons<Syntax>, close: Token): ApplyNode => ({ type: "apply", callee, args, close });
export const derivNode = (token: Token, inner: Syntax): DerivNode => ({ type: "deriv", token, inner });
export const groupNode = (open: Token, inner: Syntax): GroupNode => ({ type: "group", open, inner });

const OPERATOR: Partial<Record<Token["type"], BinaryOperator>> = { plus: "+", minus: "-", times: "*", divide: "/", hadamard: "⊙" };

export function binaryNode(left: Syntax, token: Token, right: Syntax): BinaryNode {
  const op = OPERATOR[token.type];
  if (!op) throw new Error(`internal: ${token.type} is not a binary operator`);
  return { type: "binary", op, left, right, token };
}

export const implicitProduct = (left: Syntax, right: Syntax): BinaryNode => ({ type: "binary", op: "implicit", left, right, token: null });
export const firstSign = (token: Token): Signs => ({ token, count: 1 });
export const moreSigns = (signs: Signs): Signs => ({ token: signs.token, count: signs.count + 1 });
export const negateNode = (signs: Signs, operand: Syntax): NegateNode => ({ type: "negate", token: signs.token, count: signs.count, operand });
export const plainExponent = (operand: Syntax): Exponent => ({ signs: 0, operand });
export const signedExponent = (signs: Signs, operand: Syntax): Exponent => ({ signs: signs.count, operand });
export const powerNode = (base: Syntax, token: Token, exponent: Exponent): PowerNode => ({ type: "power", base, token, signs: exponent.signs, exponent: exponent.operand });
export const superscriptNode = (base: Syntax, token: Token): SuperscriptNode => ({ type: "superscript", base, token });
export const transposeNode = (base: Syntax, token: Token): TransposeNode => ({ type: "transpose", base, token });
export const bracketNode = (open: Token, items: Cons<Syntax>, close: Token): BracketNode => ({ type: "bracket", open, items, close });
export const normNode = (open: Token, inner: Syntax): NormNode => ({ type: "norm", open, inner });

/** `Σ_{i=1}^{n} body`: the token's index and bounds read out (the lexer has checked them). */
export function bigSumNode(token: Token, body: Syntax): BigSumNode {
  try {
    return { type: "bigsum", token, ...bigSumParts(token.text), body };
  } catch (err) {
    if (!(err instanceof BigSumError)) throw err;
    // a token the lexer did not make (tokenize reports this with the source line and a caret)
    throw new DeriveError(`line ${token.line}, column ${token.column}: ${err.message}`, { line: token.line, column: token.column });
  }
}

export const expressionStatement = (expr: Syntax): ExpressionStatement => ({ type: "expression", expr });
export const valueDefinition = (name: Token, body: Syntax): ValueDefinitionStatement => ({ type: "define", name, body });
export const functionDefinition = (name: Token, params: Cons<Token>, body: Syntax): FunctionDefinitionStatement => ({ type: "function", name, params, body });
export const declaration = (name: Token, kind: Token, sizes: Cons<Syntax> | null): DeclarationStatement => ({ type: "declare", name, kind, sizes });

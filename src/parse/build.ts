/**
 * From syntax trees to expressions: resolves names (built-in functions and constants, user
 * functions, variables), applies user functions by substitution, and builds `Expr`s through the
 * canonical constructors.
 *
 * The walk uses an explicit stack, never recursion, so its depth is not limited by the
 * JavaScript stack; long left-nested chains (a 100,000-term sum) are collected into one flat
 * `add`/`mul` instead of being folded pairwise. Every node built is checked against
 * MAX_NESTING, so nothing deeper than the limit ever reaches the (recursive) rest of the engine.
 */
import { add, mul, num, pow, sym, call, substitute, freeSymbols, MINUS_ONE, Q, type Expr } from "../ast/index.js";
import { DeriveError } from "../errors.js";
import { differentiate } from "../diff/differentiate.js";
import { lookupConstant, lookupFunction } from "../functions/index.js";
import type { Token } from "./lexer.js";
import { MAX_NESTING } from "./limits.js";
import { canonicalName, isGreekLetterName, NameError } from "./names.js";
import { sourceDetail } from "./source.js";
import { listItems, syntaxChildren, type BigSumNode, type BinaryOperator, type Syntax } from "./syntax.js";

/** A function defined in the program, `f(x, y) = body`, applied by substituting its arguments. */
export interface UserFunction {
  readonly name: string;
  readonly token: Token;
  readonly params: readonly string[];
  /** The body with the parameters as symbols (set once built). */
  body?: Expr;
}

/** What names mean where an expression is built. */
export interface BuildScope {
  readonly text: string;
  /** User functions by canonical name (bodies of those applied here are built already). */
  readonly functions: ReadonlyMap<string, UserFunction>;
  /** Names of value definitions (`a = …`): not variables. */
  readonly values: ReadonlySet<string>;
  /** Parameters, when building a function body. */
  readonly params: ReadonlySet<string>;
  /** Free variables seen, with the offset of their first occurrence. */
  readonly variables: Map<string, number>;
  /** Bodies of value definitions built so far (d/dx(f) differentiates through f's definition). */
  readonly valueBody?: (name: string) => Expr | undefined;
  /** Index letters of the sum(…, i, lo, hi) in the expression being built (set by buildExpr). */
  sumIndices?: ReadonlySet<string>;
}

/** A DeriveError at a token: `line L, column C: message`, with the source line and a caret. */
export function errorAt(text: string, token: Token, message: string): DeriveError {
  const position = { line: token.line, column: token.column };
  return new DeriveError(`line ${token.line}, column ${token.column}: ${message}`, position, sourceDetail(text, token.offset, position, token.width));
}

/** The canonical name a name token stands for. */
export function tokenName(text: string, token: Token): string {
  try {
    return canonicalName(token.text);
  } catch (err) {
    if (err instanceof NameError) throw errorAt(text, token, err.message);
    throw err;
  }
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? "" : "s"}`;

// ---------------------------------------------------------------------------------------------
// Names

function resolveName(scope: BuildScope, token: Token): Expr {
  const name = tokenName(scope.text, token);
  if (scope.params.has(name)) return sym(name);
  const constant = lookupConstant(name);
  if (constant) return sym(constant.name);
  if (scope.functions.has(name)) throw errorAt(scope.text, token, `${name} is a function: write ${name}(…)`);
  if (lookupFunction(name) && !isGreekLetterName(name)) throw errorAt(scope.text, token, `${name} is a function: write ${name}(…)`);
  if (!scope.values.has(name)) recordVariable(scope.variables, name, token.offset);
  return sym(name);
}

export function recordVariable(variables: Map<string, number>, name: string, offset: number): void {
  const seen = variables.get(name);
  if (seen === undefined || offset < seen) variables.set(name, offset);
}

function resolveApply(scope: BuildScope, callee: Token, args: readonly Expr[], close: Token): Expr {
  const name = tokenName(scope.text, callee);
  if (name === "sum" && args.length === 4 && !scope.functions.has("sum")) return indexSum(scope, callee, close, args);
  const user = scope.functions.get(name);
  if (user) {
    if (args.length !== user.params.length) {
      throw errorAt(scope.text, callee, `${name} takes ${plural(user.params.length, "argument")} (${user.params.join(", ")}), but ${args.length} ${args.length === 1 ? "is" : "are"} given`);
    }
    if (!user.body) throw new Error(`internal: body of ${name} used before it was built`);
    const replacements = new Map<Expr, Expr>();
    user.params.forEach((p, i) => replacements.set(sym(p), args[i]!));
    return substitute(user.body, replacements);
  }
  const builtin = lookupFunction(name);
  if (builtin) {
    if (args.length !== builtin.arity) {
      throw errorAt(scope.text, callee, `${builtin.name} takes ${plural(builtin.arity, "argument")}, but ${args.length} ${args.length === 1 ? "is" : "are"} given`);
    }
    return call(builtin.name, ...args);
  }
  if (args.length === 1) return mul(resolveName(scope, callee), args[0]!);
  throw errorAt(scope.text, callee, `unknown function ${JSON.stringify(callee.text)} with ${args.length} arguments; define it first, as in ${name}(x, y) = …`);
}

// ---------------------------------------------------------------------------------------------
// Index sums

/** Most terms a sum(…, i, lo, hi) may expand to. */
const MAX_SUM_TERMS = 10_000;

/**
 * A symbol's name with the index `i` set to `value` in its subscripts: x_i → x1, w_ij → w_1j (then
 * w12 once j is set), w_{i,j} → w_1_j. A subscript is an index part when it is made of the
 * statement's sum indices and digits (at most 3 characters), so words such as `in`, `out` stay.
 */
function setIndex(name: string, index: string, value: number, indices: ReadonlySet<string>): string | undefined {
  const parts = name.split("_");
  if (parts.length < 2) return undefined;
  let changed = false;
  const digits = String(value);
  // a subscript is indices (and digits already set) only: f_in stays f_in under a sum over i
  const isIndexPart = (part: string): boolean => part.length <= 3 && [...part].every((c) => /\d/.test(c) || indices.has(c));
  const renamed = parts.map((part, k) => {
    if (k === 0 || !isIndexPart(part) || !part.includes(index)) return part;
    if (digits.length > 1 && part.length > 1) throw new DeriveError(`index ${index} = ${value} has several digits inside the subscript "${part}" of ${name}: write the indices apart, as in w_{i,j}`);
    changed = true;
    return part.split(index).join(digits);
  });
  if (!changed) return undefined;
  const raw = renamed.join("_");
  // once every subscript is a number, the name is the one a user types: w_12 is w12
  return renamed.slice(1).every((p) => /^\d+$/.test(p)) ? canonicalName(raw) : raw;
}

/** Why a sum up to a symbolic bound cannot be written out (for sum(…) and Σ alike). */
const SYMBOLIC_BOUND = "sums up to a symbolic n are read in index notation by parse, eval, diff, grad, hessian, steps and sheets";

/** sum(body, i, lo, hi): its arguments checked, then written out as `writeOutSum` does. */
function indexSum(scope: BuildScope, callee: Token, close: Token, args: readonly Expr[]): Expr {
  const [body, index, lo, hi] = args as [Expr, Expr, Expr, Expr];
  if (index.kind !== "sym" || !/^[a-z]$/.test(index.name)) throw errorAt(scope.text, callee, "sum(expr, i, lo, hi): the index is a single lower-case letter, as in sum(x_i^2, i, 1, 3)");
  const bound = (e: Expr): number | undefined => (e.kind === "num" && Q.isInteger(e.value) ? Number(e.value.n) : undefined);
  const from = bound(lo);
  const to = bound(hi);
  if (from === undefined || to === undefined) {
    throw errorAt(scope.text, callee, `sum(expr, i, lo, hi) needs whole-number bounds here (${SYMBOLIC_BOUND})`);
  }
  return writeOutSum(scope, { token: callee, end: close.offset, form: `sum(…, ${index.name}, ${from}, ${to})` }, body, index.name, from, to);
}

/** A whole-number bound of Σ as typed ("3", "-2", "−2"), or undefined for a symbolic one (n). */
function wholeBound(text: string): number | undefined {
  const m = /^([-\u2212]?)\s*(\d+)$/u.exec(text);
  return m ? (m[1] ? -1 : 1) * Number(m[2]) : undefined;
}

/** `Σ_{i=1}^{n} body` with whole-number bounds: sum(body, i, 1, n) (the body built already). */
function bigSum(scope: BuildScope, node: BigSumNode, body: Expr): Expr {
  const { token, index, lower, upper } = node;
  if (lower === null || upper === null) {
    const symbol = token.text[0]!;
    throw errorAt(scope.text, token, `${token.text} needs ${lower === null && upper === null ? "its" : "both"} bounds: write them, as in ${symbol}_{i=1}^{n}, here as whole numbers (${symbol}_{i=1}^{3} x_i^2; ${SYMBOLIC_BOUND})`);
  }
  const from = wholeBound(lower);
  const to = wholeBound(upper);
  if (from === undefined || to === undefined) throw errorAt(scope.text, token, `${token.text} needs whole-number bounds here (${SYMBOLIC_BOUND})`);
  return writeOutSum(scope, { token, end: endOffset(node.body), form: `${token.text[0]}_{${index}=${from}}^{${to}}` }, body, index, from, to);
}

/** Where a written-out sum is: its token (errors), the end of its text (variables), how to quote it. */
interface SumSite {
  readonly token: Token;
  readonly end: number;
  readonly form: string;
}

/**
 * A sum with whole-number bounds, sum(body, i, lo, hi) or Σ_{i=lo}^{hi} body: the body written out
 * for i = lo … hi, the index set in subscripts (x_i → x1, x2, …) and as a value (i → 1, 2, …).
 * Nested sums work inside out.
 */
function writeOutSum(scope: BuildScope, site: SumSite, body: Expr, indexName: string, from: number, to: number): Expr {
  if (to - from + 1 > MAX_SUM_TERMS) throw errorAt(scope.text, site.token, `${site.form} would have more than ${MAX_SUM_TERMS} terms`);
  const index = sym(indexName);
  const symbols = freeSymbols(body);
  const terms: Expr[] = [];
  const seen = new Set<string>();
  for (let k = from; k <= to; k++) {
    const replacements = new Map<Expr, Expr>([[index, num(k)]]);
    for (const s of symbols) {
      let renamed: string | undefined;
      try {
        renamed = setIndex(s.name, indexName, k, scope.sumIndices ?? new Set([indexName]));
      } catch (err) {
        if (err instanceof DeriveError) throw errorAt(scope.text, site.token, err.message);
        throw err;
      }
      if (renamed === undefined) continue;
      replacements.set(s, sym(renamed));
      seen.add(renamed);
    }
    terms.push(substitute(body, replacements));
  }
  // the written-out names are variables from here (the program keeps those that remain: x_i and
  // i are gone from the result)
  for (const name of seen) if (!scope.values.has(name) && !scope.params.has(name)) recordVariable(scope.variables, name, site.end);
  return addAll(terms);
}

// ---------------------------------------------------------------------------------------------
// Flat sums and products

/** Spreading more than ~100k arguments overflows the stack: fold huge lists in chunks. */
const CHUNK = 8192;

function addAll(terms: Expr[]): Expr {
  while (terms.length > CHUNK) {
    const parts: Expr[] = [];
    for (let i = 0; i < terms.length; i += CHUNK) parts.push(add(...terms.slice(i, i + CHUNK)));
    terms = parts;
  }
  return add(...terms);
}

function mulAll(factors: Expr[]): Expr {
  while (factors.length > CHUNK) {
    const parts: Expr[] = [];
    for (let i = 0; i < factors.length; i += CHUNK) parts.push(mul(...factors.slice(i, i + CHUNK)));
    factors = parts;
  }
  return mul(...factors);
}

const SUPERSCRIPT_DIGITS: ReadonlyMap<string, string> = new Map([
  ["⁰", "0"], ["¹", "1"], ["²", "2"], ["³", "3"], ["⁴", "4"], ["⁵", "5"], ["⁶", "6"], ["⁷", "7"], ["⁸", "8"], ["⁹", "9"], ["⁻", "-"],
]);

function superscriptValue(token: Token): Expr {
  let digits = "";
  for (const ch of token.text) digits += SUPERSCRIPT_DIGITS.get(ch) ?? "";
  return num(BigInt(digits));
}

// ---------------------------------------------------------------------------------------------
// The walk

/** How a node is built from its children. */
type Plan =
  | { kind: "leaf"; node: Syntax & { type: "number" | "name" } }
  | { kind: "apply"; callee: Token; close: Token }
  | { kind: "group" }
  | { kind: "deriv"; token: Token }
  | { kind: "negate"; count: number; token: Token }
  | { kind: "sum"; ops: BinaryOperator[]; token: Token }
  | { kind: "product"; ops: BinaryOperator[]; token: Token }
  | { kind: "power"; signs: number[]; tokens: Token[] }
  | { kind: "superscript"; tokens: Token[] }
  | { kind: "bigsum"; node: BigSumNode };

interface Frame {
  readonly plan: Plan;
  readonly kids: readonly Syntax[];
  readonly results: Expr[];
}

const isSumOp = (op: BinaryOperator): boolean => op === "+" || op === "-";

/**
 * Matrix syntax reached the scalar builder: the command (or the program, lacking declarations)
 * works on scalars. Matrix programs are built by src/matrix, which the commands that support them
 * choose when `usesMatrixSyntax` says so.
 */
export function matrixSyntaxError(text: string, token: Token, what: string): DeriveError {
  return errorAt(text, token, `${what} is matrix syntax, not allowed in a scalar expression here (declare the matrices, as in W: matrix, and use a command that supports them: diff, grad, hessian, eval)`);
}

/**
 * `x(a)` where x is no function is the product x*(a); when a power or superscript follows, the
 * exponent binds to the parenthesised factor alone (2x(x+1)^2 is 2*x*(x+1)^2). Returns the two
 * factors of such an application, or undefined for a real function application.
 */
function implicitProduct(scope: BuildScope, n: Syntax): { name: Syntax; factor: Syntax } | undefined {
  if (n.type !== "apply" || n.args.prev !== null) return undefined;
  const name = tokenName(scope.text, n.callee);
  if (scope.functions.has(name) || lookupFunction(name)) return undefined;
  return { name: { type: "name", token: n.callee }, factor: { type: "group", open: n.callee, inner: n.args.item } };
}

function frameFor(node: Syntax, scope: BuildScope): Frame {
  switch (node.type) {
    case "number":
    case "name":
      return { plan: { kind: "leaf", node }, kids: [], results: [] };
    case "apply":
      return { plan: { kind: "apply", callee: node.callee, close: node.close }, kids: listItems(node.args), results: [] };
    case "group":
      return { plan: { kind: "group" }, kids: [node.inner], results: [] };
    case "deriv":
      return { plan: { kind: "deriv", token: node.token }, kids: [node.inner], results: [] };
    case "negate":
      return { plan: { kind: "negate", count: node.count, token: node.token }, kids: [node.operand], results: [] };
    case "binary": {
      // the whole left spine of operators of the same level, as one flat list
      const sum = isSumOp(node.op);
      const kids: Syntax[] = [];
      const ops: BinaryOperator[] = [];
      let n: Syntax = node;
      while (n.type === "binary" && isSumOp(n.op) === sum) {
        kids.push(n.right);
        ops.push(n.op);
        n = n.left;
      }
      kids.push(n);
      ops.push(sum ? "+" : "*");
      kids.reverse();
      ops.reverse();
      return { plan: { kind: sum ? "sum" : "product", ops, token: firstToken(node) }, kids, results: [] };
    }
    case "power": {
      // a ^ b ^ c arrives as Power(Power(a, b), c): collect the chain, fold it from the right
      const exponents: Syntax[] = [];
      const signs: number[] = [];
      const tokens: Token[] = [];
      let n: Syntax = node;
      while (n.type === "power") {
        exponents.push(n.exponent);
        signs.push(n.signs);
        tokens.push(n.token);
        n = n.base;
      }
      exponents.reverse();
      signs.reverse();
      tokens.reverse();
      const implicit = implicitProduct(scope, n);
      if (implicit) {
        // x(a)^2 is x*(a^2): the power belongs to the parenthesised factor, not to the product
        let base: Syntax = implicit.factor;
        for (let i = 0; i < exponents.length; i++) base = { type: "power", base, token: tokens[i]!, signs: signs[i]!, exponent: exponents[i]! };
        return frameFor({ type: "binary", op: "implicit", left: implicit.name, right: base, token: null }, scope);
      }
      return { plan: { kind: "power", signs, tokens }, kids: [n, ...exponents], results: [] };
    }
    case "transpose":
      throw errorAt(scope.text, node.token, `${node.token.text} is the transpose of a matrix; a scalar needs none (for a derivative write d/dx(…))`);
    case "norm":
      throw matrixSyntaxError(scope.text, node.open, "a norm ||…||");
    case "bracket": {
      const items = listItems(node.items);
      if (items.length === 1 && items[0]!.type !== "bracket") return { plan: { kind: "group" }, kids: items, results: [] };
      throw matrixSyntaxError(scope.text, node.open, "a vector or matrix literal [a, b, …]");
    }
    case "bigsum":
      return { plan: { kind: "bigsum", node }, kids: [node.body], results: [] };
    case "superscript": {
      const tokens: Token[] = [];
      let n: Syntax = node;
      while (n.type === "superscript") {
        tokens.push(n.token);
        n = n.base;
      }
      tokens.reverse();
      const implicit = implicitProduct(scope, n);
      if (implicit) {
        let base: Syntax = implicit.factor;
        for (const token of tokens) base = { type: "superscript", base, token };
        return frameFor({ type: "binary", op: "implicit", left: implicit.name, right: base, token: null }, scope);
      }
      return { plan: { kind: "superscript", tokens }, kids: [n], results: [] };
    }
  }
}

/** The first token of a syntax tree (where errors about the whole of it point). */
export function firstToken(node: Syntax): Token {
  for (;;) {
    switch (node.type) {
      case "number":
      case "name":
      case "negate":
      case "deriv":
      case "bigsum":
        return node.token;
      case "apply":
        return node.callee;
      case "group":
      case "bracket":
      case "norm":
        return node.open;
      case "binary":
        node = node.left;
        break;
      case "power":
      case "superscript":
      case "transpose":
        node = node.base;
        break;
    }
  }
}

function checkDepth(scope: BuildScope, e: Expr, token: Token): Expr {
  if (e.depth > MAX_NESTING) {
    throw errorAt(scope.text, token, `too deeply nested: the expression here is more than ${MAX_NESTING} levels deep`);
  }
  return e;
}

/** The variable of a `d/dx` token (`d/dw_12` is w12). */
function derivName(scope: BuildScope, token: Token): string {
  try {
    return canonicalName(token.text.slice(3));
  } catch (err) {
    if (err instanceof NameError) throw errorAt(scope.text, token, err.message);
    throw err;
  }
}

const applySigns = (count: number, e: Expr): Expr => (count % 2 === 1 ? mul(MINUS_ONE, e) : e);

function combine(scope: BuildScope, plan: Plan, r: readonly Expr[]): Expr {
  switch (plan.kind) {
    case "leaf": {
      const { node } = plan;
      if (node.type === "name") return resolveName(scope, node.token);
      try {
        return num(Q.parseDecimal(node.token.text));
      } catch {
        throw errorAt(scope.text, node.token, `number out of range: ${node.token.text}`);
      }
    }
    case "apply":
      return checkDepth(scope, resolveApply(scope, plan.callee, r, plan.close), plan.callee);
    case "group":
      return r[0]!;
    case "deriv": {
      // d/dx(u) is the derivative of u (unsimplified): step-by-step traces print it and re-parse
      const wrt = derivName(scope, plan.token);
      return checkDepth(scope, differentiate(throughDefinitions(scope, r[0]!, wrt, plan.token), wrt), plan.token);
    }
    case "negate":
      return checkDepth(scope, applySigns(plan.count, r[0]!), plan.token);
    case "sum":
      return checkDepth(scope, addAll(r.map((t, i) => (plan.ops[i] === "-" ? mul(MINUS_ONE, t) : t))), plan.token);
    case "product":
      // ⊙ of scalars is their product
      return checkDepth(scope, mulAll(r.map((f, i) => (plan.ops[i] === "/" ? pow(f, MINUS_ONE) : f))), plan.token);
    case "power": {
      let value = r[r.length - 1]!;
      for (let i = r.length - 1; i >= 1; i--) {
        value = checkDepth(scope, pow(r[i - 1]!, applySigns(plan.signs[i - 1]!, value)), plan.tokens[i - 1]!);
      }
      return value;
    }
    case "superscript": {
      let value = r[0]!;
      for (const t of plan.tokens) value = checkDepth(scope, pow(value, superscriptValue(t)), t);
      return value;
    }
    case "bigsum":
      return checkDepth(scope, bigSum(scope, plan.node, r[0]!), plan.node.token);
  }
}

/** The offset just past the last token of a syntax tree (a group's ")" aside: it has no token). */
function endOffset(root: Syntax): number {
  let end = 0;
  const seen = (t: Token | null): void => {
    if (t && t.offset + t.text.length > end) end = t.offset + t.text.length;
  };
  const stack: Syntax[] = [root];
  while (stack.length > 0) {
    const n = stack.pop()!;
    switch (n.type) {
      case "apply":
        seen(n.close);
        break;
      case "group":
      case "bracket":
      case "norm":
        seen(n.open);
        if (n.type === "bracket") seen(n.close);
        break;
      default:
        seen(n.token);
    }
    stack.push(...syntaxChildren(n));
  }
  return end;
}

/** The index names of every sum(…, i, lo, hi) and Σ_{i=…} in a syntax tree. */
function sumIndexNames(root: Syntax): Set<string> {
  const out = new Set<string>();
  const stack: Syntax[] = [root];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n.type === "apply") {
      const args = listItems(n.args);
      const index = args[1];
      if (n.callee.text === "sum" && args.length === 4 && index?.type === "name") out.add(index.token.text);
    } else if (n.type === "bigsum") out.add(n.index);
    stack.push(...syntaxChildren(n));
  }
  return out;
}


/**
 * In a program, d/dx(f) is the derivative through f's definition (f = σ(w x) makes d/dw(f) the
 * derivative of σ(w x)): defined names in the operand are replaced by their bodies, except x itself
 * when it is a defined name (d/df_in(L) holds f_in fixed).
 */
function throughDefinitions(scope: BuildScope, e: Expr, wrt: string, token: Token): Expr {
  if (!scope.valueBody || scope.values.size === 0) return e;
  const expanded = new Map<string, Expr>();
  const expand = (x: Expr, depth: number): Expr => {
    if (depth > MAX_NESTING) throw errorAt(scope.text, token, "the definitions under d/dx(…) refer to each other in a cycle");
    const replacements = new Map<Expr, Expr>();
    for (const s of freeSymbols(x)) {
      if (s.name === wrt || !scope.values.has(s.name)) continue;
      let body = expanded.get(s.name);
      if (!body) {
        const own = scope.valueBody!(s.name);
        if (!own) throw errorAt(scope.text, token, `d/d${wrt}(…) uses ${s.name}, which is defined further down: define it before this line`);
        body = expand(own, depth + 1);
        expanded.set(s.name, body);
      }
      replacements.set(s, body);
    }
    return replacements.size === 0 ? x : substitute(x, replacements);
  };
  return expand(e, 0);
}

/** Builds the expression a syntax tree stands for. */
export function buildExpr(root: Syntax, scope: BuildScope): Expr {
  // the statement's own tree, not the whole input's text: scanning the text for every statement of a
  // long program would be quadratic
  const sumIndices = sumIndexNames(root);
  if (sumIndices.size > 0) scope = { ...scope, sumIndices };
  const stack: Frame[] = [frameFor(root, scope)];
  for (;;) {
    const top = stack[stack.length - 1]!;
    if (top.results.length < top.kids.length) {
      stack.push(frameFor(top.kids[top.results.length]!, scope));
      continue;
    }
    stack.pop();
    const value = combine(scope, top.plan, top.results);
    if (stack.length === 0) return value;
    stack[stack.length - 1]!.results.push(value);
  }
}

/** Names of user functions applied anywhere in a syntax tree (to build functions in order). */
export function appliedNames(root: Syntax): Token[] {
  const out: Token[] = [];
  const stack: Syntax[] = [root];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n.type === "apply") out.push(n.callee);
    stack.push(...syntaxChildren(n));
  }
  return out;
}

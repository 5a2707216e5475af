/**
 * Matrix programs: declarations (`W: matrix(2, 3)`, `x: vector(d)`, `Φ: function`), definitions
 * (`h = W1 x + b`) in any order, and the expression of interest last. Undeclared names are
 * scalars, as in scalar programs; `I` (undeclared) is the identity of whatever size fits.
 *
 * The syntax is walked twice through `Algebra` (algebra.ts): first on shapes, unifying sizes and
 * reporting mismatches at the operator that caused them, then on expressions with every shape
 * resolved.
 */
import * as Q from "../ast/rational.js";
import { DeriveError } from "../errors.js";
import { lookupConstant, lookupFunction } from "../functions/index.js";
import { errorAt, firstToken, tokenName } from "../parse/build.js";
import type { Token } from "../parse/lexer.js";
import { parseStatements } from "../parse/index.js";
import { listItems, syntaxChildren, type BinaryOperator, type Cons, type Statement, type Syntax } from "../parse/syntax.js";
import { EXPR_ALGEBRA, ShapeAlgebra, type Algebra } from "./algebra.js";
import { children, rewrite, variables, type MExpr, type MVar } from "./nodes.js";
import { formatShape, SCALAR, ShapeError, Sizes, type Dim, type Shape } from "./shape.js";

export type DeclaredKind = "scalar" | "vector" | "matrix" | "function";

export interface MatrixDeclaration {
  readonly name: string;
  readonly kind: DeclaredKind;
  readonly shape: Shape;
}

export interface MatrixDefinition {
  readonly name: string;
  /** In terms of inputs and other defined names (as variables). */
  readonly body: MExpr;
}

export interface MatrixProgram {
  readonly declarations: ReadonlyMap<string, MatrixDeclaration>;
  /** In dependency order: each body refers only to inputs and earlier definitions. */
  readonly definitions: readonly MatrixDefinition[];
  /** The expression of interest (a definition's variable when the program ends with one). */
  readonly target: MExpr;
  readonly targetName?: string;
  /** Declared generic elementwise functions (Φ). */
  readonly functions: ReadonlySet<string>;
}

const KINDS: ReadonlySet<string> = new Set(["scalar", "vector", "matrix", "function"]);

/** What a declaration of an unknown kind is told (by the builder, and by `derive check --given`). */
export const unknownKind = (kind: string): string =>
  `unknown kind ${JSON.stringify(kind)}: declare a name as scalar, vector, vector(n), matrix, matrix(m, n) or function`;

/** Shapes given from outside (a value bound to a name on the command line fixes its shape). */
export type ShapeHints = ReadonlyMap<string, Shape>;

/** Parses and builds a matrix program. */
export function parseMatrixProgram(text: string, hints: ShapeHints = new Map()): MatrixProgram {
  return buildMatrixProgram(text, parseStatements(text), hints);
}

/** True when a program needs the matrix builder: declarations, literals, ', ᵀ, ⊙, norms. */
export function usesMatrixSyntax(statements: readonly Statement[]): boolean {
  const stack: Syntax[] = [];
  for (const st of statements) {
    if (st.type === "declare") {
      if (st.kind.text !== "scalar") return true;
      continue;
    }
    stack.push(st.type === "expression" ? st.expr : st.body);
  }
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n.type === "transpose" || n.type === "norm" || (n.type === "binary" && n.op === "⊙")) return true;
    if (n.type === "bracket" && (n.items.prev !== null || n.items.item.type === "bracket")) return true;
    stack.push(...syntaxChildren(n));
  }
  return false;
}

interface Context<T> {
  readonly text: string;
  readonly algebra: Algebra<T>;
  readonly declarations: ReadonlyMap<string, MatrixDeclaration>;
  /** Shapes of defined names (built before their users). */
  readonly defined: Map<string, Shape>;
  readonly sizes: Sizes;
  /** The size of each `I`, by its offset in the source (inferred in the first walk). */
  readonly identities: Map<number, Dim>;
  /** Scalar function definitions f(x) = … of the same source, which matrix programs cannot apply. */
  readonly userFunctions: ReadonlySet<string>;
}

export function buildMatrixProgram(text: string, statements: readonly Statement[], hints: ShapeHints = new Map()): MatrixProgram {
  if (statements.length === 0) throw new DeriveError("empty input: expected an expression or definitions followed by one");
  const sizes = new Sizes();
  const declarations = new Map<string, MatrixDeclaration>();
  const bodies = new Map<string, { token: Token; body: Syntax }>();
  let targetSyntax: Syntax | undefined;
  let targetName: string | undefined;
  const userFunctions = new Set<string>();

  statements.forEach((st, i) => {
    const last = i === statements.length - 1;
    if (st.type === "declare") {
      const d = declaration(text, st, sizes);
      if (declarations.has(d.name)) throw errorAt(text, st.name, `${d.name} is declared twice`);
      declarations.set(d.name, d);
      if (last) throw errorAt(text, st.name, "a program ends with the expression of interest, not with a declaration");
      return;
    }
    if (st.type === "function") {
      // kept out of matrix programs (a sheet's scalar f(x1, x2) next to its matrices); applying one is an error
      if (last) throw errorAt(text, st.name, "function definitions f(x) = … are not supported in matrix programs yet; define values (h = W x + b)");
      userFunctions.add(tokenName(text, st.name));
      return;
    }
    if (st.type === "expression") {
      if (!last) throw errorAt(text, firstToken(st.expr), "only the last statement can be a bare expression (the expression of interest); define a name for this one, as in name = …");
      targetSyntax = st.expr;
      return;
    }
    const name = tokenName(text, st.name);
    if (bodies.has(name)) throw errorAt(text, st.name, `${name} is defined twice`);
    if (lookupFunction(name) || lookupConstant(name)) throw errorAt(text, st.name, `cannot define ${name}: it is built in`);
    bodies.set(name, { token: st.name, body: st.body });
    if (last) targetName = name;
  });
  for (const [name, shape] of hints) {
    const declared = declarations.get(name);
    if (declared) {
      if (!sizes.unify(declared.shape.rows, shape.rows) || !sizes.unify(declared.shape.cols, shape.cols)) {
        throw new ShapeError(`the value given for ${name} is ${formatShape(shape)}, but ${name} is declared ${formatShape(sizes.resolveShape(declared.shape))}`);
      }
    } else if (!bodies.has(name)) declarations.set(name, { name, kind: shape.cols === 1 ? (shape.rows === 1 ? "scalar" : "vector") : "matrix", shape });
  }
  for (const name of bodies.keys()) {
    if (declarations.has(name)) throw errorAt(text, bodies.get(name)!.token, `${name} is both declared and defined; a definition's shape follows from its body`);
  }

  const needed = neededDefinitions(text, bodies, targetSyntax ?? bodies.get(targetName!)!.body, targetName);
  let order = definitionOrder(text, bodies);
  // walk 1: shapes. The definitions the target is computed from first, strictly; then the others
  // (a sheet's scope holds definitions of other problems: one that does not fit is left out)
  const shapeContext: Context<Shape> = { text, algebra: new ShapeAlgebra(sizes), declarations, defined: new Map(), sizes, identities: new Map(), userFunctions };
  for (const name of order) if (needed.has(name)) shapeContext.defined.set(name, walk(shapeContext, bodies.get(name)!.body));
  if (targetSyntax) walk(shapeContext, targetSyntax);
  for (const name of order) {
    if (needed.has(name)) continue;
    try {
      shapeContext.defined.set(name, walk(shapeContext, bodies.get(name)!.body));
    } catch (err) {
      if (!(err instanceof DeriveError)) throw err;
    }
  }
  order = order.filter((name) => shapeContext.defined.has(name));

  // walk 2: expressions, every shape resolved
  const resolved = new Map<string, MatrixDeclaration>();
  for (const [name, d] of declarations) resolved.set(name, { ...d, shape: sizes.resolveShape(d.shape) });
  const exprContext: Context<MExpr> = { text, algebra: EXPR_ALGEBRA, declarations: resolved, defined: new Map(), sizes, identities: shapeContext.identities, userFunctions };
  const definitions: MatrixDefinition[] = [];
  for (const name of order) {
    const body = walk(exprContext, bodies.get(name)!.body);
    exprContext.defined.set(name, body.shape);
    definitions.push({ name, body });
  }
  const functions = new Set([...declarations.values()].filter((d) => d.kind === "function").map((d) => d.name));
  const target = targetSyntax ? walk(exprContext, targetSyntax) : variableFor(exprContext, targetName!);
  return { declarations: resolved, definitions, target, ...(targetName !== undefined ? { targetName } : {}), functions };
}

function variableFor(ctx: Context<MExpr>, name: string): MExpr {
  return ctx.algebra.variable(name, ctx.defined.get(name)!);
}

function declaration(text: string, st: Statement & { type: "declare" }, sizes: Sizes): MatrixDeclaration {
  const name = tokenName(text, st.name);
  const kind = st.kind.text;
  if (!KINDS.has(kind)) throw errorAt(text, st.kind, unknownKind(kind));
  const given = st.sizes ? listItems(st.sizes).map((s) => sizeOf(text, s)) : [];
  const expected = kind === "matrix" ? 2 : kind === "vector" ? 1 : 0;
  if (st.sizes && given.length !== expected) {
    throw errorAt(text, st.kind, expected === 0 ? `a ${kind} has no sizes` : `a ${kind} takes ${expected} size${expected === 1 ? "" : "s"}, but ${given.length} ${given.length === 1 ? "is" : "are"} given`);
  }
  let shape: Shape = SCALAR;
  if (kind === "vector") shape = { rows: given[0] ?? sizes.freshDim(`rows(${name})`), cols: 1 };
  if (kind === "matrix") shape = { rows: given[0] ?? sizes.freshDim(`rows(${name})`), cols: given[1] ?? sizes.freshDim(`cols(${name})`) };
  if (lookupFunction(name) && kind !== "function") throw errorAt(text, st.name, `cannot declare ${name}: it is a built-in function`);
  return { name, kind: kind as DeclaredKind, shape };
}

function sizeOf(text: string, s: Syntax): Dim {
  if (s.type === "number" && /^\d+$/.test(s.token.text) && Number(s.token.text) >= 1 && Number(s.token.text) <= 1e6) return Number(s.token.text);
  if (s.type === "name") return tokenName(text, s.token);
  throw errorAt(text, firstToken(s), "a size is a whole number from 1 to 1,000,000 or a name (n, d)");
}

/** Names a syntax tree mentions (to order definitions). */
function mentionedNames(root: Syntax): Token[] {
  const out: Token[] = [];
  const stack: Syntax[] = [root];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n.type === "name") out.push(n.token);
    else if (n.type === "apply") out.push(n.callee);
    stack.push(...syntaxChildren(n));
  }
  return out;
}

/** The defined names the target is computed from (by name, through definitions). */
function neededDefinitions(text: string, bodies: ReadonlyMap<string, { token: Token; body: Syntax }>, target: Syntax, targetName: string | undefined): Set<string> {
  const needed = new Set<string>(targetName === undefined ? [] : [targetName]);
  const stack: Syntax[] = [target];
  while (stack.length > 0) {
    for (const t of mentionedNames(stack.pop()!)) {
      for (const name of referredNames(text, t)) {
        if (needed.has(name) || !bodies.has(name)) continue;
        needed.add(name);
        stack.push(bodies.get(name)!.body);
      }
    }
  }
  return needed;
}

function definitionOrder(text: string, bodies: ReadonlyMap<string, { token: Token; body: Syntax }>): string[] {
  const order: string[] = [];
  const state = new Map<string, "visiting" | "done">();
  const visit = (name: string, via: Token): void => {
    const s = state.get(name);
    if (s === "done") return;
    if (s === "visiting") throw errorAt(text, via, `${name} is defined in terms of itself (a cycle of definitions)`);
    state.set(name, "visiting");
    for (const t of mentionedNames(bodies.get(name)!.body)) {
      for (const used of referredNames(text, t)) if (bodies.has(used)) visit(used, t);
    }
    state.set(name, "done");
    order.push(name);
  };
  for (const [name, { token }] of bodies) visit(name, token);
  return order;
}

/** The names a token may refer to (its own, when it reads as a name). */
function referredNames(text: string, token: Token): string[] {
  const name = safeName(text, token);
  return name === undefined ? [] : [name];
}

function safeName(text: string, token: Token): string | undefined {
  try {
    return tokenName(text, token);
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// The walk

function at<T>(ctx: Context<unknown>, token: Token, f: () => T): T {
  try {
    return f();
  } catch (err) {
    if (err instanceof ShapeError) throw errorAt(ctx.text, token, err.message);
    throw err;
  }
}

function walk<T>(ctx: Context<T>, node: Syntax): T {
  const A = ctx.algebra;
  switch (node.type) {
    case "number":
      try {
        return A.constant(Q.parseDecimal(node.token.text));
      } catch {
        throw errorAt(ctx.text, node.token, `number out of range: ${node.token.text}`);
      }
    case "name":
      return nameValue(ctx, node.token);
    case "group":
      return walk(ctx, node.inner);
    case "deriv":
      throw errorAt(ctx.text, node.token, "d/dx(…) inside a matrix program is not supported; differentiate the program with --wrt");
    case "negate": {
      const operand = walk(ctx, node.operand);
      return node.count % 2 === 1 ? A.mul(A.constant(Q.rational(-1n)), operand) : operand;
    }
    case "binary":
      return binary(ctx, node);
    case "power":
      return power(ctx, node);
    case "superscript": {
      const base = walk(ctx, node.base);
      const digits = [...node.token.text].map((ch) => "⁰¹²³⁴⁵⁶⁷⁸⁹".indexOf(ch)).filter((d) => d >= 0).join("");
      const exponent = Q.rational(BigInt(digits) * (node.token.text.startsWith("⁻") ? -1n : 1n));
      return at(ctx, node.token, () => A.pow(base, exponent));
    }
    case "transpose":
      return A.transpose(walk(ctx, node.base));
    case "norm":
      return A.norm(walk(ctx, node.inner));
    case "bracket":
      return bracket(ctx, node.open, listItems(node.items));
    case "apply":
      return application(ctx, node.callee, listItems(node.args));
    case "bigsum":
      // like sum(body, i, lo, hi), which matrix programs do not write out either (sum(X) is the sum of X's entries)
      throw errorAt(ctx.text, node.token, `${node.token.text} (an index sum) is not supported in matrix programs; write the terms out, or use sum(X) for the sum of a vector's or matrix's entries`);
  }
}

function nameValue<T>(ctx: Context<T>, token: Token): T {
  const A = ctx.algebra;
  const name = tokenName(ctx.text, token);
  const defined = ctx.defined.get(name);
  if (defined) return A.variable(name, defined);
  const declared = ctx.declarations.get(name);
  if (declared) {
    if (declared.kind === "function") throw errorAt(ctx.text, token, `${name} is a function: write ${name}(…)`);
    return A.variable(name, declared.shape);
  }
  if (name === "I") {
    let dim = ctx.identities.get(token.offset);
    if (dim === undefined) {
      dim = ctx.sizes.freshDim("size(I)");
      ctx.identities.set(token.offset, dim);
    }
    return A.identity(ctx.sizes.resolve(dim));
  }
  const constant = lookupConstant(name);
  if (constant) return A.variable(constant.name, SCALAR);
  if (lookupFunction(name)) throw errorAt(ctx.text, token, `${name} is a function: write ${name}(…)`);
  return A.variable(name, SCALAR);
}

function binary<T>(ctx: Context<T>, node: Syntax & { type: "binary" }): T {
  // the left spine of the same level, flattened (long sums need no deep recursion)
  const sum = node.op === "+" || node.op === "-";
  const operands: Syntax[] = [];
  const ops: BinaryOperator[] = [];
  const tokens: (Token | null)[] = [];
  let n: Syntax = node;
  while (n.type === "binary" && (n.op === "+" || n.op === "-") === sum) {
    operands.push(n.right);
    ops.push(n.op);
    tokens.push(n.token);
    n = n.left;
  }
  operands.push(n);
  operands.reverse();
  ops.reverse();
  tokens.reverse();
  if (!sum) {
    mergeEntries(operands, ops, tokens);
    mergeExpectations(ctx, operands, ops, tokens);
    mergeDerivatives(ctx, operands, ops, tokens);
  }
  const A = ctx.algebra;
  let value = walk(ctx, operands[0]!);
  for (let i = 1; i < operands.length; i++) {
    const right = walk(ctx, operands[i]!);
    const op = ops[i - 1]!;
    const token = tokens[i - 1] ?? firstToken(operands[i]!);
    value = at(ctx, token, () => {
      switch (op) {
        case "+":
          return A.add(value, right);
        case "-":
          return A.add(value, A.mul(A.constant(Q.rational(-1n)), right));
        case "*":
        case "implicit":
          return A.mul(value, right);
        case "/":
          return A.mul(value, A.pow(right, Q.rational(-1n)));
        case "⊙":
          return A.hadamard(value, right);
      }
    });
  }
  return value;
}

/**
 * `W[1, 2]`, `x[3]`: a name directly followed by a bracket of whole numbers is an entry; with
 * index letters (`W[i, j]`, `z[i]`) it is the entry name of index notation (W_ij, z_i).
 */
function mergeEntries(operands: Syntax[], ops: BinaryOperator[], tokens: (Token | null)[]): void {
  for (let k = 0; k + 1 < operands.length; k++) {
    const left = operands[k]!;
    const right = operands[k + 1]!;
    // W[1, 2]^2 arrives as W times ([1, 2]^2): the bracket is the innermost base on the right
    const chain: Syntax[] = [];
    let bracket: Syntax = right;
    while (bracket.type === "power" || bracket.type === "superscript" || bracket.type === "transpose") {
      chain.push(bracket);
      bracket = bracket.base;
    }
    if (ops[k] !== "implicit" || left.type !== "name" || bracket.type !== "bracket") continue;
    if (bracket.open.offset !== left.token.offset + left.token.text.length) continue;
    const items = listItems(bracket.items);
    if (items.length <= 2 && items.every((i) => i.type === "name" && /^[a-z]$/.test(i.token.text))) {
      // W[i, j] with symbolic indices is the entry name W_ij of index notation
      const text = `${left.token.text}_${items.map((i) => (i as Syntax & { type: "name" }).token.text).join("")}`;
      let named: Syntax = { type: "name", token: { ...left.token, text, value: text } };
      for (let c = chain.length - 1; c >= 0; c--) named = { ...chain[c]!, base: named } as Syntax;
      operands.splice(k, 2, named);
      ops.splice(k, 1);
      tokens.splice(k, 1);
      continue;
    }
    if (items.length > 2 || !items.every((i) => i.type === "number" && /^\d+$/.test(i.token.text))) continue;
    const callee = { ...left.token, text: "entry" };
    let args: Cons<Syntax> = { item: left, prev: null };
    for (const i of items) args = { item: i, prev: args };
    let merged: Syntax = { type: "apply", callee, args, close: bracket.close };
    for (let c = chain.length - 1; c >= 0; c--) merged = { ...chain[c]!, base: merged } as Syntax;
    operands.splice(k, 2, merged);
    ops.splice(k, 1);
    tokens.splice(k, 1);
  }
}

/** `E[x x^T]`: an undeclared E directly followed by a bracket is the expectation E(…). */
function mergeExpectations(ctx: Context<unknown>, operands: Syntax[], ops: BinaryOperator[], tokens: (Token | null)[]): void {
  for (let k = 0; k + 1 < operands.length; k++) {
    const left = operands[k]!;
    const right = operands[k + 1]!;
    if (ops[k] !== "implicit" || left.type !== "name" || left.token.text !== "E" || right.type !== "bracket") continue;
    if (ctx.declarations.has("E") || ctx.defined.has("E")) continue;
    operands.splice(k, 2, { type: "apply", callee: left.token, args: right.items, close: right.close });
    ops.splice(k, 1);
    tokens.splice(k, 1);
  }
}

/** A function name followed by primes, as in Φ'(h) or σ'(z). */
function primedFunction(ctx: Context<unknown>, s: Syntax): { token: Token; order: number } | undefined {
  let order = 0;
  let n = s;
  while (n.type === "transpose" && n.token.text !== "ᵀ") {
    order++;
    n = n.base;
  }
  if (order === 0 || n.type !== "name") return undefined;
  const name = safeName(ctx.text, n.token);
  if (name === undefined) return undefined;
  const declared = ctx.declarations.get(name);
  const isFunction = declared ? declared.kind === "function" : !ctx.defined.has(name) && lookupFunction(name)?.arity === 1;
  return isFunction ? { token: n.token, order } : undefined;
}

/** `Φ'(h)` arrives as the product of Φ transposed and (h): it is the derivative Φ' applied to h. */
function mergeDerivatives(ctx: Context<unknown>, operands: Syntax[], ops: BinaryOperator[], tokens: (Token | null)[]): void {
  for (let k = 0; k + 1 < operands.length; k++) {
    const f = primedFunction(ctx, operands[k]!);
    const arg = operands[k + 1]!;
    if (!f || ops[k] !== "implicit" || arg.type !== "group") continue;
    operands.splice(k, 2, { type: "apply", callee: { ...f.token, text: f.token.text + "'".repeat(f.order) }, args: { item: arg.inner, prev: null }, close: f.token });
    ops.splice(k, 1);
    tokens.splice(k, 1);
  }
}

function power<T>(ctx: Context<T>, node: Syntax & { type: "power" }): T {
  const A = ctx.algebra;
  const base = walk(ctx, node.base);
  const e = node.exponent;
  // X^T is the transpose, unless T is something declared or defined
  const tIsFree = !ctx.declarations.has("T") && !ctx.defined.has("T");
  if (e.type === "name" && node.signs === 0 && e.token.text === "T" && tIsFree) return A.transpose(base);
  // v^T (A) v: the lexer took "T (" for an application; it is the transpose times (A)
  if (e.type === "apply" && node.signs === 0 && e.callee.text === "T" && tIsFree && e.args.prev === null) {
    const factor = walk(ctx, e.args.item);
    return at(ctx, e.callee, () => A.mul(A.transpose(base), factor));
  }
  const exponent = constantExponent(ctx, e, node.signs);
  return at(ctx, node.token, () => A.pow(base, exponent));
}

function constantExponent(ctx: Context<unknown>, e: Syntax, signs: number): Q.Rational {
  let value: Q.Rational | undefined;
  if (e.type === "number") value = Q.parseDecimal(e.token.text);
  else if (e.type === "group" && e.inner.type === "binary" && e.inner.op === "/" && e.inner.left.type === "number" && e.inner.right.type === "number") {
    value = Q.div(Q.parseDecimal(e.inner.left.token.text), Q.parseDecimal(e.inner.right.token.text));
  }
  if (!value) throw errorAt(ctx.text, firstToken(e), "in a matrix program an exponent is a number (x^2, x^(1/2)) or T for the transpose");
  return signs % 2 === 1 ? Q.neg(value) : value;
}

function bracket<T>(ctx: Context<T>, open: Token, items: readonly Syntax[]): T {
  const A = ctx.algebra;
  if (items.length === 1 && items[0]!.type !== "bracket") return walk(ctx, items[0]!);
  const rowsAreBrackets = items.every((i) => i.type === "bracket");
  if (rowsAreBrackets) {
    const rows = items.map((r) => listItems((r as Syntax & { type: "bracket" }).items).map((x) => walk(ctx, x)));
    return at(ctx, open, () => A.literal(rows));
  }
  if (items.some((i) => i.type === "bracket")) throw errorAt(ctx.text, open, "a matrix literal is a list of rows, each in brackets: [[1, 2], [3, 4]]; a vector is [1, 2]");
  return at(ctx, open, () => A.literal(items.map((x) => [walk(ctx, x)])));
}

const REDUCTIONS = new Set(["norm", "sum", "trace", "tr", "transpose", "diag"]);

function application<T>(ctx: Context<T>, callee: Token, args: readonly Syntax[]): T {
  const A = ctx.algebra;
  const primes = /'+$/.exec(callee.text)?.[0].length ?? 0;
  const name = tokenName(ctx.text, primes > 0 ? { ...callee, text: callee.text.slice(0, -primes) } : callee);
  const one = (): T => {
    if (args.length !== 1) throw errorAt(ctx.text, callee, `${name} takes 1 argument, but ${args.length} are given`);
    return walk(ctx, args[0]!);
  };
  const declared = ctx.declarations.get(name);
  if (ctx.userFunctions.has(name)) throw errorAt(ctx.text, callee, `${name} is a function definition f(x) = …, which matrix programs cannot apply yet`);
  if (primes > 0) return A.derivative(declared?.kind === "function" ? name : lookupFunction(name)!.name, primes, one());
  if (declared?.kind === "function") return A.apply(name, one());
  if (!ctx.declarations.has(name) && !ctx.defined.has(name)) {
    if (REDUCTIONS.has(name)) {
      const arg = one();
      return at(ctx, callee, () => {
        switch (name) {
          case "norm":
            return A.norm(arg);
          case "sum":
            return A.sum(arg);
          case "trace":
          case "tr":
            return A.trace(arg);
          case "transpose":
            return A.transpose(arg);
          default:
            return A.diag(arg);
        }
      });
    }
    if (name === "E") return A.expect(one());
    if (name === "unit" && args.length === 4) {
      const [rows, cols] = [sizeOf(ctx.text, args[0]!), sizeOf(ctx.text, args[1]!)];
      const [row, col] = [sizeOf(ctx.text, args[2]!), sizeOf(ctx.text, args[3]!)];
      if (typeof row !== "number" || typeof col !== "number") throw errorAt(ctx.text, callee, "unit(m, n, i, j): i and j are whole numbers");
      return at(ctx, callee, () => A.unit({ rows: ctx.sizes.resolve(rows), cols: ctx.sizes.resolve(cols) }, row, col));
    }
    if (name === "entry" && (args.length === 2 || args.length === 3)) {
      const target = walk(ctx, args[0]!);
      const index = (s: Syntax): number => {
        if (s.type !== "number" || !/^\d+$/.test(s.token.text)) throw errorAt(ctx.text, firstToken(s), "an entry's index is a whole number from 1 (W[1, 2])");
        return Number(s.token.text);
      };
      const row = index(args[1]!);
      const col = args[2] ? index(args[2]) : 1;
      return at(ctx, callee, () => A.entry(target, row, col));
    }
    const builtin = lookupFunction(name);
    if (builtin) {
      if (builtin.arity !== 1) throw errorAt(ctx.text, callee, `${builtin.name} takes ${builtin.arity} arguments; in matrix programs only functions of one argument apply elementwise`);
      return A.apply(builtin.name, one());
    }
    if (name === "ones") {
      if (args.length !== 2) throw errorAt(ctx.text, callee, "ones takes two sizes: ones(m, n)");
      return A.ones({ rows: ctx.sizes.resolve(sizeOf(ctx.text, args[0]!)), cols: ctx.sizes.resolve(sizeOf(ctx.text, args[1]!)) });
    }
  }
  // x(a + b): the product of x and a parenthesised factor
  if (args.length === 1) return at(ctx, callee, () => A.mul(nameValue(ctx, callee), walk(ctx, args[0]!)));
  throw errorAt(ctx.text, callee, `unknown function ${JSON.stringify(callee.text)}`);
}

// ---------------------------------------------------------------------------------------------
// Using programs

/** The target with every defined name replaced by its definition. */
export function inlineProgram(program: MatrixProgram, e: MExpr = program.target): MExpr {
  const bodies = new Map<string, MExpr>();
  for (const d of program.definitions) bodies.set(d.name, rewrite(d.body, (n) => (n.kind === "var" ? bodies.get(n.name) : undefined)));
  return rewrite(e, (n) => (n.kind === "var" ? bodies.get(n.name) : undefined));
}

/** The name of the program's function: its last definition, or a defined name it ends with. */
export function functionName(program: MatrixProgram): string | undefined {
  if (program.targetName !== undefined) return program.targetName;
  const t = program.target;
  return t.kind === "var" && program.definitions.some((d) => d.name === t.name) ? t.name : undefined;
}

/** Inputs of a program: variables that are not defined names (constants excluded), in order. */
export function programInputs(program: MatrixProgram): MVar[] {
  return variables(inlineProgram(program)).filter((v) => !lookupConstant(v.name));
}

export { children };

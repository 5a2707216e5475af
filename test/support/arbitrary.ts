/**
 * fast-check generators of random expressions, shared by every property test (printers, parser,
 * differentiation, simplification). Built through the canonical constructors, so they produce
 * exactly the nodes the engine itself produces.
 */
import fc from "fast-check";
import { add, call, mul, num, pow, sym, Q, type Expr } from "../../src/ast/index.js";
import { FUNCTIONS } from "../../src/functions/index.js";

export const SYMBOL_NAMES = ["x", "y", "z", "w12", "f_out", "alpha", "z_2_out", "b1"] as const;

export const arbSymbol = fc.constantFrom(...SYMBOL_NAMES).map((n) => sym(n));

/** Small exact rationals: integers -5..5 and a few fractions and decimals. */
export const arbNumber = fc.oneof(
  fc.integer({ min: -5, max: 5 }).map((n) => num(n)),
  fc
    .tuple(fc.integer({ min: -9, max: 9 }), fc.integer({ min: 2, max: 12 }))
    .map(([n, d]) => num(Q.rational(BigInt(n), BigInt(d)))),
  fc.constantFrom(num(0.5), num(0.25), num(1e-3)),
);

const unaryNames = FUNCTIONS.filter((f) => f.arity === 1).map((f) => f.name);

export interface ExprOptions {
  /** Symbols to draw from (default SYMBOL_NAMES). */
  readonly symbols?: readonly string[];
  /** Function names to draw from (default: every unary registry function). */
  readonly functions?: readonly string[];
  /** Maximum depth of the generated tree. */
  readonly depth?: number;
}

/** Random expressions of bounded depth over the given symbols and functions. */
export function arbExpr(options: ExprOptions = {}): fc.Arbitrary<Expr> {
  const symbols = options.symbols ?? SYMBOL_NAMES;
  const functions = options.functions ?? unaryNames;
  const leaf = fc.oneof(fc.constantFrom(...symbols).map((n) => sym(n)), arbNumber);
  const { expr } = fc.letrec<{ expr: Expr }>((tie) => ({
    expr: fc.oneof(
      { depthSize: "small", maxDepth: options.depth ?? 5, withCrossShrink: true },
      leaf,
      fc.array(tie("expr"), { minLength: 2, maxLength: 3 }).map((ts) => add(...ts)),
      fc.array(tie("expr"), { minLength: 2, maxLength: 3 }).map((fs) => mul(...fs)),
      fc
        .tuple(tie("expr"), fc.oneof(fc.integer({ min: -3, max: 4 }).map((n) => num(n)), fc.constant(num(Q.rational(1n, 2n))), tie("expr")))
        .map(([b, e]) => pow(b, e)),
      fc.tuple(fc.constantFrom(...functions), tie("expr")).map(([f, a]) => call(f, a)),
    ),
  }));
  return expr;
}

/** Random points: a value in [-2, 2] for each symbol, avoiding exact zeros. */
export function arbPoint(symbols: readonly string[] = SYMBOL_NAMES): fc.Arbitrary<Map<string, number>> {
  return fc
    .array(fc.double({ min: -2, max: 2, noNaN: true }).filter((v) => Math.abs(v) > 1e-3), {
      minLength: symbols.length,
      maxLength: symbols.length,
    })
    .map((vals) => new Map(symbols.map((s, i) => [s, vals[i]!])));
}

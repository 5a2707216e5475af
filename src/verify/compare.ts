/**
 * One step of a derivation: is `left = right` true? Symbolic comparison first (the canonical
 * form of left - right is 0), then randomised testing; constant claims are compared exactly when
 * both sides are rational, otherwise to the digits written.
 */
import { freeSymbols, sub, Q, ZERO, type Expr, type Rational } from "../ast/index.js";
import { simplify } from "../simplify/index.js";
import { exactValue, isExact, toNumber } from "../numeric/exact.js";
import { Context, isConstantName } from "./context.js";
import { diagnose, type DerivativeContext } from "./diagnose.js";
import { relativeDifference, sampleIdentity, AGREE } from "./sample.js";
import type { Verdict } from "./types.js";
import type { Tensor } from "./tensor.js";

/** One side of a claim, read and resolved. */
export interface Side {
  /** As written. */
  readonly text: string;
  /** Definitions inlined, derivative operators applied; given values not yet substituted. */
  readonly expr: Expr;
  /** As written: defined names not replaced (index mix-ups are looked for here). */
  readonly raw?: Expr;
  /** Replaces definitions in an expression written like `raw`. */
  readonly resolve?: (e: Expr) => Expr;
  /** A bare number as written (its decimals decide the tolerance). */
  readonly literal?: { readonly value: Rational; readonly decimals: number };
  /** The side is a derivative operator applied to `operand`. */
  readonly derivative?: { readonly operand: Expr; readonly wrt: string };
  /** Re-reads the side with its text changed (to measure carried rounding). */
  readonly reread?: (text: string) => Expr;
  /** The side is a vector or matrix (then `expr` is only its placeholder form): compared entrywise. */
  readonly tensor?: Tensor;
}

export interface StepOutcome {
  readonly verdict: Verdict;
  readonly reason: string;
  readonly counterexample?: Record<string, number>;
  readonly lhs?: number;
  readonly rhs?: number;
}

const isClosed = (e: Expr): boolean => freeSymbols(e).every((s) => isConstantName(s.name));

/** Formats a double for reasons: at most 10 significant digits. */
export const formatNumber = (v: number): string => (Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(10))));

function provablyEqual(a: Expr, b: Expr): boolean {
  if (a === b) return true;
  try {
    return simplify(sub(a, b)) === ZERO;
  } catch {
    return false;
  }
}

/** Compares two sides; `derivative` (the chain's derivative, when it has one) drives the diagnosis. */
export function compareSides(
  left: Side,
  right: Side,
  context: Context,
  derivative: { correct: Expr; operand: Expr; wrt: string } | undefined,
  show: (e: Expr) => string,
): StepOutcome {
  const a = left.expr;
  const b = right.expr;
  const general = !isClosed(a) || !isClosed(b);
  if (general && provablyEqual(a, b)) {
    // a cross-check of the simplifier: never valid when a sample disagrees
    const check = sampleIdentity(context.withValues(a), context.withValues(b), { count: 6 });
    if (check.status === "disagree") {
      return { verdict: "unknown", reason: "the canonical forms agree but a random point does not (please report this claim)", ...pointFields(check.point) };
    }
    return { verdict: "valid", reason: "both sides have the same canonical form" };
  }
  const A = context.withValues(a);
  const B = context.withValues(b);
  if (isClosed(A) && isClosed(B)) return compareNumbers(left, right, A, B, context, derivative, show, general);
  if (!provablyEqual(A, B)) {
    const sampled = sampleIdentity(A, B);
    if (sampled.status === "undetermined") {
      return { verdict: "unknown", reason: sampled.reason, ...(sampled.point ? pointFields(sampled.point) : {}) };
    }
    if (sampled.status === "disagree") {
      const why = explain(derivative, right, context, show);
      return {
        verdict: "invalid",
        reason: why ?? "the two sides differ",
        ...pointFields(sampled.point),
      };
    }
    return {
      verdict: "valid",
      reason: sampled.exact
        ? `both sides agree exactly at ${sampled.points} random rational points (a rational identity)`
        : `both sides agree at ${sampled.points} random points (randomised test; not proved symbolically)`,
    };
  }
  return { verdict: "valid", reason: context.values.size > 0 ? "both sides have the same canonical form at the given values" : "both sides have the same canonical form" };
}

function pointFields(point: { values: Map<string, number>; a: number; b: number }): Pick<StepOutcome, "counterexample" | "lhs" | "rhs"> {
  return { counterexample: Object.fromEntries(point.values), lhs: point.a, rhs: point.b };
}

function explain(derivative: { correct: Expr; operand: Expr; wrt: string } | undefined, claimed: Side, context: Context, show: (e: Expr) => string): string | undefined {
  if (!derivative) return undefined;
  const dc: DerivativeContext = {
    operand: derivative.operand,
    wrt: derivative.wrt,
    withValues: (e) => context.withValues(e),
    ...(claimed.raw && claimed.resolve ? { raw: claimed.raw, resolve: claimed.resolve } : {}),
  };
  try {
    return diagnose(derivative.correct, claimed.expr, dc, show);
  } catch {
    return undefined;
  }
}

/** Half a unit in the last written place of a bare number. */
const halfUnit = (decimals: number): number => 0.5 * 10 ** -decimals;

/** Significant digits of a decimal literal as written (0.0593223 has 6). */
const significantDigits = (literal: string): number => literal.replace(".", "").replace(/^0+/, "").length;

/**
 * Whether a decimal literal may be a rounded value: it was written rounded in an earlier step,
 * or it has at least 5 significant digits and is not one of the given values (intermediate
 * results copied from elsewhere are written like that; 0.25, 1.5 or 0.1575 are taken as exact).
 */
function possiblyRounded(literal: string, decimals: number, context: Context): boolean {
  const r = Q.parseDecimal(literal);
  if (context.roundedDecimals(r) === decimals) return true;
  if (significantDigits(literal) < 5) return false;
  for (const v of context.values.values()) if (v.kind === "num" && (Q.equals(v.value, r) || Q.equals(v.value, Q.neg(r)))) return false;
  return true;
}

/** How much the rounding of numbers written rounded (and reused here) can move a side's value. */
function carried(side: Side, value: number, context: Context): number {
  if (!side.reread) return 0;
  let total = 0;
  const pattern = /(?<![\w.])\d*\.\d+/g;
  for (const m of side.text.matchAll(pattern)) {
    const literal = m[0];
    const decimals = literal.length - literal.indexOf(".") - 1;
    if (!possiblyRounded(literal, decimals, context)) continue;
    const at = m.index;
    // appending a 5 moves the number by half a unit in its last place
    const perturbed = side.text.slice(0, at) + literal + "5" + side.text.slice(at + literal.length);
    try {
      const moved = toNumber(exactValue(context.withValues(side.reread(perturbed))));
      if (Number.isFinite(moved)) total += Math.abs(moved - value);
    } catch {
      // the side could not be re-read: no slack from this number
    }
  }
  return total * 1.000001;
}

function compareNumbers(
  left: Side,
  right: Side,
  A: Expr,
  B: Expr,
  context: Context,
  derivative: { correct: Expr; operand: Expr; wrt: string } | undefined,
  show: (e: Expr) => string,
  general: boolean,
): StepOutcome {
  const sa = exactValue(A);
  const sb = exactValue(B);
  const a = toNumber(sa);
  const b = toNumber(sb);
  const at = general ? " at the given values" : "";
  if (isExact(sa) && isExact(sb) && Q.equals(sa, sb)) {
    return { verdict: "valid", reason: `both sides are exactly ${Q.toText(sa)}${at}`, lhs: a, rhs: b };
  }
  if (!Number.isFinite(a) || !Number.isFinite(b)) {
    return { verdict: "unknown", reason: `a side has no finite value${at} (${formatNumber(a)} and ${formatNumber(b)})`, lhs: a, rhs: b };
  }
  // the tolerance comes from the digits written
  let tolerance = AGREE * Math.max(1, Math.abs(a), Math.abs(b)) * 1e-3;
  let rounding = "";
  const written = right.literal ?? (left.literal && !right.literal ? left.literal : undefined);
  const exactSide = right.literal ? a : b;
  if (written && written.decimals > 0) {
    tolerance += halfUnit(written.decimals);
    rounding = ` rounded to ${written.decimals} decimal${written.decimals === 1 ? "" : "s"}`;
  }
  // a bare literal's own rounding is the half unit above; the slack is for numbers inside expressions
  const slack = (left.literal ? 0 : carried(left, a, context)) + (right.literal ? 0 : carried(right, b, context));
  tolerance += slack;
  const diff = Math.abs(a - b);
  if (diff <= tolerance || relativeDifference(a, b) <= AGREE * 1e-3) {
    if (right.literal && right.literal.decimals > 0 && !(isExact(sa) && isExact(sb) && Q.equals(sa, sb))) {
      context.noteRounded(right.literal.value, right.literal.decimals);
    }
    const note = slack > 0 && diff > halfUnit(written?.decimals ?? 99) ? " (allowing for the rounding of numbers carried from earlier steps)" : "";
    const reason = written && written.decimals > 0
      ? `${formatNumber(exactSide)} is ${formatNumber(Q.toNumber(written.value))}${rounding}${note}`
      : note && relativeDifference(a, b) > AGREE
        ? `the sides are ${formatNumber(a)} and ${formatNumber(b)}${at}: equal up to the rounding of the numbers written (±${formatNumber(slack)})`
        : `both sides are ${formatNumber(a)}${at}`;
    return { verdict: "valid", reason, lhs: a, rhs: b };
  }
  const why = explain(derivative, right, context, show);
  const base = written && written.decimals > 0
    ? `the left side is ${formatNumber(a)}, the right side ${formatNumber(b)}: ${formatNumber(exactSide)}${rounding} is ${exactSide.toFixed(written.decimals)}`
    : `the left side is ${formatNumber(a)}, the right side ${formatNumber(b)}${at}`;
  return { verdict: "invalid", reason: why ? `${why}; ${base}` : base, lhs: a, rhs: b };
}

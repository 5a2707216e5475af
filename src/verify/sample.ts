/**
 * Randomised testing of an identity a = b: both sides at many points, drawn where the functions
 * involved are defined (positive arguments for log and sqrt, (0, 1) for probabilities), points
 * where either side is undefined (a pole, log of a negative number) skipped. Rational expressions
 * are compared exactly at rational points.
 */
import { freeSymbols, postorder, Q, type Expr, type Rational } from "../ast/index.js";
import { lookupFunction } from "../functions/index.js";
import { evaluate } from "../numeric/index.js";
import { valueWith, isExact, toNumber } from "../numeric/exact.js";
import { isConstantName } from "./context.js";

/** Relative difference below which two doubles count as equal. */
export const AGREE = 1e-9;
/** Relative difference above which two doubles certainly differ (between: rounding noise). */
export const DISAGREE = 1e-6;

export interface Point {
  readonly values: Map<string, number>;
  readonly a: number;
  readonly b: number;
}

export type SampleResult =
  | { readonly status: "agree"; readonly points: number; readonly exact: boolean }
  | { readonly status: "disagree"; readonly point: Point }
  | { readonly status: "undetermined"; readonly reason: string; readonly point?: Point };

/** A small deterministic generator, so verdicts do not change between runs. */
export function generator(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
}

/** Where each variable should be drawn from: its tightest requirement as a direct function argument. */
function variableDomains(exprs: readonly Expr[]): Map<string, "positive" | "unit" | "real"> {
  const out = new Map<string, "positive" | "unit" | "real">();
  for (const e of exprs) {
    for (const x of postorder(e)) {
      if (x.kind !== "call") continue;
      const domain = lookupFunction(x.fn)?.domain;
      if (!domain || domain === "real" || domain === "nonzero") continue;
      for (const a of x.args) {
        if (a.kind !== "sym") continue;
        out.set(a.name, domain === "open-unit" ? "unit" : "positive");
      }
    }
  }
  return out;
}

export const relativeDifference = (a: number, b: number): number => Math.abs(a - b) / Math.max(1, Math.abs(a), Math.abs(b));

/** Rationals with few digits (so counterexamples read well) in the chosen range. */
function draw(random: () => number, domain: "positive" | "unit" | "real", strategy: number): Rational {
  const scale = strategy % 3 === 2 ? 1000n : 100n;
  let lo: number, hi: number;
  if (domain === "unit" || strategy % 3 === 1) [lo, hi] = [0.05, 0.95];
  else if (domain === "positive") [lo, hi] = [0.1, 3];
  else [lo, hi] = [-2.5, 2.5];
  const v = lo + (hi - lo) * random();
  const n = BigInt(Math.round(v * Number(scale)));
  return Q.rational(n === 0n ? 7n : n, scale);
}

/** Tests a = b at `count` points where both sides are defined. */
export function sampleIdentity(a: Expr, b: Expr, options: { count?: number; seed?: number } = {}): SampleResult {
  const count = options.count ?? 40;
  const names = [...new Set([...freeSymbols(a), ...freeSymbols(b)].map((s) => s.name))].filter((n) => !isConstantName(n));
  const domains = variableDomains([a, b]);
  const random = generator(options.seed ?? 0x5eed);
  let agreed = 0;
  let allExact = true;
  let noisy: Point | undefined;
  const attempts = count * 6;
  for (let i = 0; i < attempts && agreed < count; i++) {
    const exactPoint = new Map<string, Rational>();
    for (const n of names) exactPoint.set(n, draw(random, domains.get(n) ?? "real", Math.floor(i / 4)));
    const point = new Map([...exactPoint].map(([n, r]) => [n, Q.toNumber(r)] as const));
    let va: number, vb: number;
    let exactEqual: boolean | undefined;
    try {
      const sa = valueWith(a, exactPoint);
      const sb = valueWith(b, exactPoint);
      if (isExact(sa) && isExact(sb)) exactEqual = Q.equals(sa, sb);
      va = toNumber(sa);
      vb = toNumber(sb);
    } catch {
      try {
        va = evaluate(a, point);
        vb = evaluate(b, point);
      } catch {
        continue;
      }
    }
    if (!Number.isFinite(va) || !Number.isFinite(vb)) continue;
    if (exactEqual === false) return { status: "disagree", point: { values: point, a: va, b: vb } };
    if (exactEqual !== true) allExact = false;
    const r = relativeDifference(va, vb);
    if (exactEqual === true || r <= AGREE) agreed++;
    else if (r > DISAGREE) return { status: "disagree", point: { values: point, a: va, b: vb } };
    else noisy ??= { values: point, a: va, b: vb };
  }
  if (noisy) return { status: "undetermined", reason: "the two sides differ only in the last digits at some points (rounding noise or a tiny difference)", point: noisy };
  if (agreed < Math.min(count, 10)) return { status: "undetermined", reason: "could not find enough points where both sides are defined" };
  return { status: "agree", points: agreed, exact: allExact };
}

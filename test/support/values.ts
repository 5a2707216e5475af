/**
 * Numeric comparison of two expressions that should be equal, with a principled rule for when a
 * comparison means something.
 *
 * Two forms of one function, evaluated in floating point, agree to about κ·eps where κ is the
 * condition of the evaluation at that point (cancellation in sums, steep functions). We measure
 * that sensitivity directly: both expressions are re-evaluated with every input moved by a relative
 * 1e-13 (two patterns of signs), and the largest change is the "wobble". Rounding errors are
 * about eps/1e-13 ≈ 2e-3 times the wobble, so a tolerance of
 *     1e-9 · max(|a|, |b|) + 10 · wobble
 * is generous for rounding yet catches any real difference at a well-conditioned point. Points
 * where a value is not finite, or where the wobble exceeds 1e-4 of the values (so no tolerance
 * would mean anything), are skipped and reported as "skip", never as agreement.
 */
import type { Expr } from "../../src/ast/index.js";
import { evaluate } from "../../src/numeric/index.js";

const RELATIVE = 1e-9;
const NUDGE = 1e-13;

function value(e: Expr, point: ReadonlyMap<string, number>): number {
  try {
    return evaluate(e, point);
  } catch {
    return NaN;
  }
}

function nudged(point: ReadonlyMap<string, number>, pattern: number): Map<string, number> {
  const out = new Map<string, number>();
  let i = 0;
  for (const [k, v] of point) out.set(k, v * (1 + NUDGE * ((i++ + pattern) % 2 === 0 ? 1 : -1)));
  return out;
}

export function sameValue(a: Expr, b: Expr, point: ReadonlyMap<string, number>): boolean | "skip" {
  const va = value(a, point);
  const vb = value(b, point);
  if (!Number.isFinite(va) || !Number.isFinite(vb)) return "skip";
  let wobble = 0;
  for (const pattern of [0, 1]) {
    const p = nudged(point, pattern);
    const wa = value(a, p);
    const wb = value(b, p);
    if (!Number.isFinite(wa) || !Number.isFinite(wb)) return "skip";
    wobble = Math.max(wobble, Math.abs(wa - va), Math.abs(wb - vb));
  }
  const scale = Math.max(Math.abs(va), Math.abs(vb));
  if (wobble > 1e-4 * scale && wobble > 1e-12) return "skip";
  return Math.abs(va - vb) <= RELATIVE * scale + 10 * wobble;
}

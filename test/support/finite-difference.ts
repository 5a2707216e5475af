/**
 * Numerical references for derivative tests: central finite differences with an error estimate,
 * and the rule deciding where a comparison is meaningful.
 *
 * D(h) = (f(x+h) - f(x-h)) / 2h differs from f'(x) by c·h² + O(h⁴) when f is smooth on
 * [x-h, x+h]; Richardson's R = (4 D(h/2) - D(h)) / 3 removes the h² term. |R - D(h/2)| estimates
 * the error of D(h/2) and bounds R's error generously, and rounding adds about eps·|f|/h. Where f
 * has a kink, jump, pole or branch point within h of x, or is so ill-conditioned there that
 * rounding dominates, these estimates are large.
 *
 * The skip rule: a point is compared only when every sample is finite and the estimated error of
 * R is below REFERENCE_ACCURACY (100× tighter than the 1e-6 tolerance of the comparison), relative
 * to max(1, |R|). Everything else is reported as skipped, never as passed, and the property tests
 * assert that most sampled points are compared.
 */
export const TOLERANCE = 1e-6;
export const REFERENCE_ACCURACY = 1e-8;

export interface Reference {
  readonly value: number;
  readonly error: number;
}

/** f'(x) by Richardson-extrapolated central differences, or undefined where that is unreliable. */
export function centralDifference(f: (t: number) => number, x: number): Reference | undefined {
  const h = 1e-3 * Math.max(1, Math.abs(x));
  const samples = [f(x + h), f(x - h), f(x + h / 2), f(x - h / 2), f(x)];
  if (!samples.every(Number.isFinite)) return undefined;
  const [p1, m1, p2, m2] = samples as [number, number, number, number, number];
  const d1 = (p1 - m1) / (2 * h);
  const d2 = (p2 - m2) / h;
  const value = (4 * d2 - d1) / 3;
  const magnitude = Math.max(...samples.map(Math.abs));
  const error = Math.abs(value - d2) + (8 * Number.EPSILON * magnitude) / h;
  if (!Number.isFinite(value) || error > REFERENCE_ACCURACY * Math.max(1, Math.abs(value))) return undefined;
  return { value, error };
}

/** Whether an analytic derivative agrees with the reference within TOLERANCE (relative, absolute near 0). */
export function agrees(analytic: number, reference: Reference): boolean {
  return Math.abs(analytic - reference.value) <= TOLERANCE * Math.max(1, Math.abs(reference.value));
}

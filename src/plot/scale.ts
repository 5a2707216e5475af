/** Axis scales (data → drawing coordinates) and their ticks. */

export type ScaleKind = "linear" | "log";

export interface Scale {
  readonly kind: ScaleKind;
  /** Data interval shown (min < max; both positive on a log scale). */
  readonly domain: readonly [number, number];
  /** Drawing interval the domain maps to (may run backwards, as y does on screen). */
  readonly range: readonly [number, number];
}

const transform = (kind: ScaleKind, v: number): number => (kind === "log" ? Math.log10(v) : v);

/** The drawing coordinate of a data value. */
export function project(scale: Scale, v: number): number {
  const [d0, d1] = scale.domain.map((d) => transform(scale.kind, d)) as [number, number];
  const [r0, r1] = scale.range;
  return r0 + ((transform(scale.kind, v) - d0) / (d1 - d0)) * (r1 - r0);
}

/** The data value at a drawing coordinate (the inverse of `project`). */
export function unproject(scale: Scale, r: number): number {
  const [d0, d1] = scale.domain.map((d) => transform(scale.kind, d)) as [number, number];
  const [r0, r1] = scale.range;
  const t = d0 + ((r - r0) / (r1 - r0)) * (d1 - d0);
  return scale.kind === "log" ? 10 ** t : t;
}

/** Rounds away binary noise (0.30000000000000004 → 0.3) so ticks print and compare cleanly. */
const clean = (v: number): number => (v === 0 ? 0 : Number(v.toPrecision(12)));

/** The tick step: 1, 2 or 5 times a power of ten, about (hi - lo)/count. */
export function tickStep(lo: number, hi: number, count: number): number {
  const raw = (hi - lo) / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const norm = raw / mag;
  return clean((norm < 1.5 ? 1 : norm < 3 ? 2 : norm < 7 ? 5 : 10) * mag);
}

/** Round numbers in [lo, hi], about `count` of them, evenly spaced. */
export function niceTicks(lo: number, hi: number, count = 6): number[] {
  if (!(hi > lo) || !Number.isFinite(lo) || !Number.isFinite(hi)) return Number.isFinite(lo) ? [clean(lo)] : [];
  const step = tickStep(lo, hi, count);
  const ticks: number[] = [];
  for (let k = Math.ceil(lo / step - 1e-9); k * step <= hi + step * 1e-9; k++) ticks.push(clean(k * step));
  return ticks;
}

/** The powers of ten in [lo, hi] (lo > 0). */
export function logTicks(lo: number, hi: number): number[] {
  const ticks: number[] = [];
  for (let k = Math.ceil(Math.log10(lo) - 1e-9); k <= Math.floor(Math.log10(hi) + 1e-9); k++) ticks.push(10 ** k);
  return ticks;
}

/** A domain widened to whole ticks (linear) or whole decades (log), so the axis ends on a tick. */
export function niceDomain(kind: ScaleKind, lo: number, hi: number, count = 6): [number, number] {
  if (kind === "log") {
    if (!(lo > 0)) throw new RangeError("a log scale needs positive values");
    return [10 ** Math.floor(Math.log10(lo) + 1e-9), 10 ** Math.ceil(Math.log10(hi) - 1e-9)];
  }
  if (!(hi > lo)) {
    const pad = lo === 0 ? 1 : Math.abs(lo) / 2;
    return niceDomain(kind, lo - pad, hi + pad, count);
  }
  const step = tickStep(lo, hi, count);
  return [clean(Math.floor(lo / step + 1e-9) * step), clean(Math.ceil(hi / step - 1e-9) * step)];
}

/**
 * A tick label with as many decimals as the step between ticks needs, and a real minus sign
 * (U+2212, the width of a plus, as in print).
 */
export function tickLabel(v: number, step: number): string {
  const decimals = Math.max(0, Math.min(10, -Math.floor(Math.log10(step) + 1e-9)));
  const s = Math.abs(v).toFixed(decimals);
  return Number(s) === 0 ? s : `${v < 0 ? "\u2212" : ""}${s}`;
}

/** A value to `digits` significant digits for a label (1.23e-5 as 1.23·10^-5 is up to the caller). */
export function shortNumber(v: number, digits = 3): string {
  if (v === 0) return "0";
  const s = Number(v.toPrecision(digits)).toString();
  return s.replace("-", "\u2212");
}

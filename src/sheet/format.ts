/** How sheets show numbers in LaTeX. */

/** A number for display: exact integers as they are, others to `digits` significant digits. */
export function formatNumber(v: number, digits = 6): string {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? "\\text{undefined}" : v > 0 ? "\\infty" : "-\\infty";
  if (Number.isInteger(v) && Math.abs(v) < 1e15) return String(v);
  const s = Number(v.toPrecision(digits)).toString();
  const m = /^(-?[\d.]+)e([+-]\d+)$/.exec(s);
  return m ? `${m[1]} \\cdot 10^{${Number(m[2])}}` : s;
}

/** A value as LaTeX: a number, or a bmatrix (a column for a vector). */
export function matrixLatex(m: readonly (readonly number[])[]): string {
  if (m.length === 1 && m[0]!.length === 1) return formatNumber(m[0]![0]!);
  return `\\begin{bmatrix} ${m.map((row) => row.map((x) => formatNumber(x)).join(" & ")).join(" \\\\ ")} \\end{bmatrix}`;
}

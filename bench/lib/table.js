// Plain-text tables: the first column left-aligned, the others right-aligned.

/** Formats rows (arrays of strings) under `headers`, columns as wide as their widest cell. */
export function table(headers, rows) {
  const all = [headers, ...rows].map((r) => r.map((c) => String(c)));
  const widths = headers.map((_, i) => Math.max(...all.map((r) => (r[i] ?? "").length)));
  const line = (r) =>
    r
      .map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i])))
      .join("  ")
      .trimEnd();
  const rule = widths.map((w) => "-".repeat(w)).join("  ");
  return [line(all[0]), rule, ...all.slice(1).map(line)].join("\n");
}

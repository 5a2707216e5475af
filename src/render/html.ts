/**
 * HTML helpers shared by every HTML writer (solution sheets, step-by-step pages): escaping and
 * KaTeX at build time (trust: false, so author LaTeX cannot inject links or HTML; a LaTeX error is
 * reported, never silently shown as source), and KaTeX's stylesheet with its fonts inlined for
 * pages that must work offline as one file.
 */
import katex from "katex";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

export const escapeHtml = (s: string): string =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");

export const KATEX_OPTIONS = { throwOnError: true, trust: false, strict: "ignore", output: "htmlAndMathml" } as const;

/** Renders LaTeX; a LaTeX error is reported (never silently shown as source). */
export function renderMath(latex: string, display: boolean, onError: (message: string) => void): string {
  try {
    return katex.renderToString(latex, { ...KATEX_OPTIONS, displayMode: display });
  } catch (err) {
    onError(`LaTeX error in "${latex}": ${(err as Error).message}`);
    return `<span class="math-error">${escapeHtml(latex)}</span>`;
  }
}

/** Directory of KaTeX's distribution (katex.min.css and fonts/). */
export function katexDistDir(): string {
  const require = createRequire(import.meta.url);
  return dirname(require.resolve("katex/dist/katex.min.css"));
}

let inlinedCss: string | undefined;

/** katex.min.css with every font as a woff2 data URI (older formats dropped): one file, offline. */
export function inlineKatexCss(): string {
  if (inlinedCss !== undefined) return inlinedCss;
  const dist = katexDistDir();
  const css = readFileSync(join(dist, "katex.min.css"), "utf8");
  inlinedCss = css.replace(/src:url\((fonts\/[^)]+\.woff2)\) format\("woff2"\)(?:,url\([^)]+\) format\("[a-z]+"\))*/g, (_m, file: string) => {
    const data = readFileSync(join(dist, file)).toString("base64");
    return `src:url(data:font/woff2;base64,${data}) format("woff2")`;
  });
  return inlinedCss;
}

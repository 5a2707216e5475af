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

/**
 * A complete HTML page: the one skeleton every page of derive shares. `head` holds the styles
 * (already-safe HTML); `main` the page's content; `footer` is text and gets escaped.
 */
export function htmlDocument(parts: { readonly title: string; readonly head: string; readonly main: string; readonly footer: string }): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(parts.title)}</title>
${parts.head}
</head>
<body>
<main>
${parts.main}
<footer>${escapeHtml(parts.footer)}</footer>
</main>
</body>
</html>
`;
}

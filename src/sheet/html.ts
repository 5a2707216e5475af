/**
 * The HTML writer: one self-contained page per sheet. KaTeX runs at build time (src/render/html.ts:
 * trust: false, so author LaTeX cannot inject links or HTML); its CSS and fonts are copied beside the pages, so
 * nothing is fetched from the network when the page is viewed. Author text is escaped.
 */
import texmath from "markdown-it-texmath";
import type { MarkdownIt as MarkdownItInstance, Token } from "markdown-it";
import { sheetMarkdown } from "./source.js";
import type { Block, CheckBlock } from "./types.js";
import { checkSummary } from "./check.js";
import { escapeHtml, htmlDocument, renderMath } from "../render/html.js";
import { sceneToSvg } from "../plot/index.js";

export { escapeHtml, renderMath };

/** A checked claim: the claim as written, its verdict, and why (all text escaped). */
function renderCheck(block: CheckBlock): string {
  const { headline, details } = checkSummary(block);
  const ok = block.report.verdict === block.expected;
  const mark = { valid: "✓", invalid: "✗", unknown: "?" }[block.report.verdict];
  const classes = `derive-check derive-check-${block.report.verdict}${ok ? "" : " derive-check-unexpected"}`;
  return (
    `<div class="${classes}"${ok ? "" : ' role="alert"'}>` +
    `<div><span class="derive-verdict">${mark} ${escapeHtml(headline)}</span> <code>${escapeHtml(block.report.claim)}</code></div>` +
    details.map((d) => `<div class="derive-check-detail">${escapeHtml(d)}</div>`).join("") +
    `</div>`
  );
}

function renderBlock(block: Block, onError: (message: string) => void): string {
  switch (block.kind) {
    case "math":
      return `<div class="derive-math">${renderMath(block.latex, true, onError)}</div>`;
    case "source":
      return `<pre class="derive-source"><code>${escapeHtml(block.text)}</code></pre>`;
    case "error":
      return `<div class="derive-error" role="alert">error: ${escapeHtml(block.message)}</div>`;
    case "check":
      return renderCheck(block);
    case "figure":
      // the SVG escapes its own texts (src/plot/svg.ts)
      return `<figure class="derive-figure">${sceneToSvg(block.scene)}</figure>`;
  }
}

/**
 * The markdown-it instance for a sheet's HTML: the sheet syntax plus `$…$` / `$$…$$` math,
 * rendered by KaTeX with errors reported to `onError`. Parse and render with the same instance.
 */
export function htmlMarkdown(onError: (message: string) => void): MarkdownItInstance {
  // texmath keeps the first engine it is given for the whole process (a module global), so its
  // engine cannot carry this sheet's `onError`; texmath parses, these rules render
  const md = sheetMarkdown().use(texmath, {
    engine: { renderToString: (tex: string, options: Record<string, unknown>) => renderMath(tex, options.displayMode === true, () => {}) },
    delimiters: "dollars",
  });
  const math = (t: Token, display: boolean): string => renderMath(t.content, display, onError);
  md.renderer.rules.math_inline = (tokens, idx) => `<eq>${math(tokens[idx]!, false)}</eq>`;
  md.renderer.rules.math_inline_double = (tokens, idx) => `<section><eqn>${math(tokens[idx]!, true)}</eqn></section>`;
  md.renderer.rules.math_block = (tokens, idx) => `<section><eqn>${math(tokens[idx]!, true)}</eqn></section>\n`;
  md.renderer.rules.math_block_eqno = (tokens, idx) =>
    `<section class="eqno"><eqn>${math(tokens[idx]!, true)}</eqn><span>(${escapeHtml(tokens[idx]!.info)})</span></section>\n`;
  return md;
}

/** Body HTML for the sheet's tokens; chunk fences are replaced by their computed blocks. */
export function renderBody(md: MarkdownItInstance, tokens: Token[], chunkBlocks: ReadonlyMap<Token, readonly Block[]>, onError: (message: string) => void): string {
  const fence = md.renderer.rules.fence!;
  md.renderer.rules.fence = (toks, idx, options, env, self) => {
    const blocks = chunkBlocks.get(toks[idx]!);
    if (!blocks) return fence(toks, idx, options, env, self);
    return `<section class="derive-chunk">${blocks.map((b) => renderBlock(b, onError)).join("\n")}</section>\n`;
  };
  md.renderer.rules.container_solution_open = () => `<section class="solution"><h4 class="solution-label">Solution</h4>\n`;
  md.renderer.rules.container_solution_close = () => `</section>\n`;
  return md.renderer.render(tokens, md.options, {});
}

const CSS = `
:root { color-scheme: light; --ink: #1d2430; --muted: #5b6474; --accent: #2f5fa7; --soft: #f4f6fa; }
* { box-sizing: border-box; }
body { margin: 0; font: 17px/1.6 Georgia, "Times New Roman", serif; color: var(--ink); background: #fff; }
main { max-width: 46rem; margin: 0 auto; padding: 1.5rem 1.1rem 4rem; }
h1, h2, h3, h4 { font-family: system-ui, sans-serif; line-height: 1.25; }
h1 { font-size: 1.7rem; border-bottom: 2px solid var(--accent); padding-bottom: .3rem; }
h2 { font-size: 1.3rem; margin-top: 2.2rem; }
.derive-chunk { margin: 1rem 0; }
.derive-math { overflow-x: auto; overflow-y: hidden; padding: .1rem 0; }
.derive-source { background: var(--soft); border-left: 3px solid var(--accent); padding: .5rem .8rem; overflow-x: auto; font-size: .85rem; }
.derive-error, .math-error { color: #a11; background: #fdecec; padding: .3rem .6rem; font-family: monospace; white-space: pre-wrap; }
.derive-check { border-left: 3px solid #2e7d4f; background: #eef7f1; padding: .3rem .7rem; margin: .4rem 0; font-size: .95rem; }
.derive-check-invalid { border-left-color: #b3261e; background: #fdf0ef; }
.derive-check-unknown { border-left-color: #8a6d00; background: #fbf6e4; }
.derive-check-unexpected { outline: 2px solid #b3261e; }
.derive-verdict { font-family: system-ui, sans-serif; font-weight: 600; }
.derive-check code { font-size: .88rem; overflow-wrap: anywhere; }
.derive-check-detail { color: var(--muted); font-size: .88rem; }
.solution { border: 1px solid #cfd8e8; border-radius: 6px; padding: .2rem 1rem; margin: 1rem 0; background: #fbfcfe; }
.solution-label { margin: .6rem 0 .2rem; color: var(--accent); font-size: .95rem; }
section > eqn, .katex-display { overflow-x: auto; overflow-y: hidden; }
eq { display: inline-block; } eqn { display: block; }
table { border-collapse: collapse; } td, th { border: 1px solid #ccd; padding: .2rem .5rem; }
.derive-figure { margin: 1rem 0; } .derive-figure svg { display: block; width: 100%; max-width: 40rem; height: auto; margin: 0 auto; }
footer { color: var(--muted); font-size: .8rem; margin-top: 3rem; }
@media print { body { font-size: 12pt; } main { max-width: none; } .derive-source { display: none; } }
`;

/** The whole page. `assets` is the relative path to the copied KaTeX CSS. */
export function page(title: string, body: string, assets: string, subtitle: string): string {
  return htmlDocument({
    title,
    head: `<link rel="stylesheet" href="${escapeHtml(assets)}/katex/katex.min.css">\n<style>${CSS}</style>`,
    main: body,
    footer: `${subtitle} · generated by derive; every formula and number on this page was computed by the engine.`,
  });
}

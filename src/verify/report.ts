/**
 * The HTML report of `derive check --format html`: one self-contained page (KaTeX rendered here,
 * its CSS and fonts inlined) with every step, its verdict in colour, the reason, the counterexample
 * and the expected expression. Claims written in LaTeX are shown rendered; claims in the text
 * syntax are shown as written (code). All author text is escaped; KaTeX runs with trust: false.
 */
import { escapeHtml, htmlDocument, inlineKatexCss, renderMath } from "../render/html.js";
import { latexName } from "../render/index.js";
import { formatNumber } from "./compare.js";
import type { CheckReport, StepReport, Verdict } from "./types.js";

const LABEL: Record<Verdict, string> = { valid: "valid", invalid: "invalid", unknown: "unknown" };

const PAGE_CSS = `
body { margin: 0; font: 16px/1.55 system-ui, sans-serif; color: #1d2430; background: #fff; }
main { max-width: 70rem; margin: 0 auto; padding: 1.5rem 1.1rem 3rem; }
h1 { font-size: 1.45rem; border-bottom: 2px solid #2f5fa7; padding-bottom: .3rem; }
.summary { font-weight: 600; }
.summary.valid { color: #176e2c; } .summary.invalid { color: #b00020; } .summary.unknown { color: #8a6d00; }
table { border-collapse: collapse; width: 100%; }
th, td { border-bottom: 1px solid #d6dbe3; padding: .45rem .6rem; vertical-align: top; text-align: left; }
th { font-size: .85rem; color: #5b6474; }
td.line { color: #5b6474; white-space: nowrap; }
td.claim { overflow-x: auto; max-width: 36rem; }
.verdict { display: inline-block; border-radius: .3rem; padding: .05rem .45rem; font-weight: 700; font-size: .85rem; color: #fff; }
tr.valid .verdict { background: #176e2c; } tr.invalid .verdict { background: #b00020; } tr.unknown .verdict { background: #8a6d00; }
tr.invalid { background: #fff3f4; } tr.unknown { background: #fffbea; }
.detail { margin: .15rem 0; }
.detail .label { color: #5b6474; }
code { font: .9rem ui-monospace, monospace; white-space: pre-wrap; word-break: break-word; }
.math-error { color: #a11; background: #fdecec; font-family: monospace; white-space: pre-wrap; }
footer { color: #5b6474; font-size: .8rem; margin-top: 2rem; }
`;

/** Author LaTeX: rendered when KaTeX can, else shown as written (a claim the checker could not read). */
function authorMath(latex: string): string {
  let failed = false;
  const html = renderMath(`\\displaystyle ${latex}`, false, () => {
    failed = true;
  });
  return failed ? `<code>${escapeHtml(latex)}</code>` : html;
}

function summary(steps: readonly StepReport[]): { text: string; tone: Verdict } {
  const count = (v: Verdict): number => steps.filter((s) => s.verdict === v).length;
  if (steps.length === 0) return { text: "nothing to check: no claims found", tone: "unknown" };
  const first = steps.find((s) => s.verdict === "invalid");
  const text = `${count("valid")} valid, ${count("invalid")} invalid, ${count("unknown")} unknown` + (first ? `; the first wrong step is on line ${first.line}` : "");
  return { text, tone: first ? "invalid" : count("unknown") > 0 ? "unknown" : "valid" };
}

/** Rows of the report; `ours` renders LaTeX the checker wrote (an error there is a bug and shows as one). */
function row(s: StepReport, ours: (latex: string) => string): string {
  const claim = s.display?.claimLatex !== undefined ? authorMath(s.display.claimLatex) : `<code>${escapeHtml(s.claim)}</code>`;
  const details = [`<p class="detail">${escapeHtml(s.reason)}</p>`];
  if (s.counterexample && Object.keys(s.counterexample).length > 0) {
    const at = Object.entries(s.counterexample).map(([k, v]) => `${latexName(k)} = ${formatNumber(v)}`).join(",\\; ");
    const values = s.lhs !== undefined && s.rhs !== undefined ? `: left side ${escapeHtml(formatNumber(s.lhs))}, right side ${escapeHtml(formatNumber(s.rhs))}` : "";
    details.push(`<p class="detail"><span class="label">at</span> ${ours(at)}${values}</p>`);
  }
  if (s.expected !== undefined) {
    const expected = s.display?.expectedLatex !== undefined ? ours(`\\displaystyle ${s.display.expectedLatex}`) : `<code>${escapeHtml(s.expected)}</code>`;
    details.push(`<p class="detail"><span class="label">expected:</span> ${expected}</p>`);
  }
  return `<tr class="${s.verdict}"><td class="line">${s.line}</td><td class="claim">${claim}</td><td><span class="verdict">${LABEL[s.verdict]}</span></td><td>${details.join("")}</td></tr>`;
}

/** The whole page. `source` names what was checked (a file name or "claims"). */
export function checkReportHtml(report: CheckReport, source: string): string {
  // LaTeX written by the checker itself: an error there is a bug, left visible as .math-error
  const ours = (latex: string): string => renderMath(latex, false, () => undefined);
  const rows = report.steps.map((s) => row(s, ours)).join("\n");
  const head = summary(report.steps);
  const title = `derive check: ${source}`;
  const main = `<h1>${escapeHtml(title)}</h1>
<p class="summary ${head.tone}">${escapeHtml(head.text)}</p>
<table><thead><tr><th>line</th><th>claim</th><th>verdict</th><th>why</th></tr></thead>
<tbody>
${rows}
</tbody></table>`;
  return htmlDocument({
    title,
    head: `<style>${inlineKatexCss()}</style>\n<style>${PAGE_CSS}</style>`,
    main,
    footer: "generated by derive check: symbolic comparison first, then randomised testing at points where both sides are defined.",
  });
}

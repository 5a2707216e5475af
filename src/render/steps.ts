/**
 * Printers for step-by-step derivations (src/steps): plain text for the terminal (each line
 * re-parseable: a pending derivative is written `d/dx(u)`, which the parser reads as the
 * derivative of u), LaTeX `aligned` blocks with the rule beside each line, Markdown, a
 * self-contained HTML page, and the JSON of the CLI contract.
 */
import type { Expr } from "../ast/index.js";
import type { Derivation, Operator, StepLine } from "../steps/index.js";
import { toText } from "./text.js";
import { toLatex } from "./latex.js";
import { latexName } from "./names.js";
import { escapeHtml, htmlDocument, inlineKatexCss, renderMath } from "./html.js";

/** Text of a displayed expression: placeholders become `d/dx(u)`. */
export function displayText(e: Expr, operators: ReadonlyMap<string, Operator>): string {
  let text = toText(e);
  if (operators.size === 0) return text;
  // placeholders print as bare names; longest first so zzdop12 is not read as zzdop1
  const names = [...operators.keys()].sort((a, b) => b.length - a.length);
  for (const name of names) {
    if (!text.includes(name)) continue;
    const op = operators.get(name)!;
    const shown = op.kind === "group" ? `(${displayText(op.of, operators)})` : `d/d${op.wrt}(${displayText(op.of, operators)})`;
    text = text.replace(new RegExp(`\\b${name}\\b`, "g"), shown);
  }
  return text;
}

function operatorLatex(op: Operator, operators: ReadonlyMap<string, Operator>): string {
  if (op.kind === "group") return `\\left(${displayLatex(op.of, operators)}\\right)`;
  const x = latexName(op.wrt);
  if (op.notation === "partial" && op.of.kind === "sym") return `\\frac{\\partial ${latexName(op.of.name)}}{\\partial ${x}}`;
  if (op.of.kind === "sym") return `\\frac{d ${latexName(op.of.name)}}{d ${x}}`;
  const d = op.notation === "partial" ? "\\partial" : "d";
  return `\\frac{${d}}{${d} ${x}}\\left(${displayLatex(op.of, operators)}\\right)`;
}

/** LaTeX of a displayed expression: placeholders become `\frac{d}{dx}\left(u\right)` or `\frac{\partial L}{\partial c}`. */
export function displayLatex(e: Expr, operators: ReadonlyMap<string, Operator>): string {
  let latex = toLatex(e);
  for (const [name, op] of operators) {
    const printed = latexName(name);
    if (latex.includes(printed)) latex = latex.split(printed).join(`{${operatorLatex(op, operators)}}`);
  }
  return latex;
}

/** `\text{…}` content with LaTeX's special characters escaped. */
const latexText = (s: string): string => s.replace(/[\\{}_^#$%&~]/g, (c) => (c === "\\" ? "\\textbackslash{}" : c === "~" ? "\\textasciitilde{}" : c === "^" ? "\\textasciicircum{}" : `\\${c}`));

export interface RenderedLine {
  readonly rule: string;
  /** The right-hand side (re-parseable text, and LaTeX). */
  readonly text: string;
  readonly latex: string;
  /** The left-hand side when the line starts a new equation. */
  readonly lhs?: string;
  readonly lhsLatex?: string;
}

/** A sum shown term by term in the given order: `a + b - c`. */
function orderedSum(terms: readonly string[]): string {
  let out = terms[0]!;
  for (const t of terms.slice(1)) out += t.startsWith("-") ? ` - ${t.slice(1)}` : ` + ${t}`;
  return out;
}

/** One factor of a product shown in order: sums and negative factors in parentheses. */
function factorText(e: Expr, operators: ReadonlyMap<string, Operator>): string {
  const t = displayText(e, operators);
  return e.kind === "add" || t.startsWith("-") ? `(${t})` : t;
}
function factorLatex(e: Expr, operators: ReadonlyMap<string, Operator>): string {
  const t = displayLatex(e, operators);
  return e.kind === "add" || t.startsWith("-") ? `\\left(${t}\\right)` : t;
}

export function renderLines(d: Derivation): RenderedLine[] {
  return d.lines.map((l: StepLine) => {
    const base = l.factors
      ? {
          rule: l.rule,
          text: orderedSum(l.factors.map((fs) => fs.map((f) => factorText(f, d.operators)).join("*"))),
          latex: orderedSum(l.factors.map((fs) => fs.map((f) => factorLatex(f, d.operators)).join(" \\cdot "))),
        }
      : l.terms && l.terms.length > 1
        ? { rule: l.rule, text: orderedSum(l.terms.map((t) => displayText(t, d.operators))), latex: orderedSum(l.terms.map((t) => displayLatex(t, d.operators))) }
        : { rule: l.rule, text: displayText(l.rhs, d.operators), latex: displayLatex(l.rhs, d.operators) };
    return l.lhs ? { ...base, lhs: displayText(l.lhs, d.operators), lhsLatex: displayLatex(l.lhs, d.operators) } : base;
  });
}

/** The derivation as one LaTeX `aligned` block, the rule beside each line. */
export function stepsToLatex(d: Derivation): string {
  const rows = renderLines(d).map((l) => `${l.lhsLatex ?? ""} &= ${l.latex} && \\text{${latexText(l.rule)}}`);
  return `\\begin{aligned}\n${rows.join(" \\\\\n")}\n\\end{aligned}`;
}

/** Plain Unicode text for the terminal: `lhs = rhs   (rule)`, continuation lines under the `=`. */
export function stepsToText(d: Derivation): string {
  const lines = renderLines(d);
  const width = Math.min(40, Math.max(0, ...lines.map((l) => (l.lhs ?? "").length)));
  const out = lines.map((l) => `${(l.lhs ?? "").padEnd(width)} = ${l.text}    (${l.rule})`);
  for (const n of d.notes) out.push(`note: ${n}`);
  return out.join("\n");
}

const resultsOf = (d: Derivation): Array<{ wrt: string; text: string; latex: string }> =>
  d.results.map((r) => ({ wrt: r.wrt, text: toText(r.result), latex: toLatex(r.result) }));

/** The left side of a result: ∂L/∂w for a program's named target, d/dx(E) for an expression. */
function resultLhs(d: Derivation, wrt: string): string {
  const name = d.program.targetName ?? (d.program.target.kind === "sym" && d.program.definitions.some((x) => x.name === (d.program.target as { name: string }).name) ? d.program.target.name : undefined);
  if (name) return `\\frac{\\partial ${latexName(name)}}{\\partial ${latexName(wrt)}}`;
  return `\\frac{d}{d ${latexName(wrt)}}\\left(${toLatex(d.program.target)}\\right)`;
}

/** The definitions the names in the lines stand for, as an aligned block; undefined without any. */
function definitionsLatex(d: Derivation): string | undefined {
  const defs = d.program.definitions.filter((x) => x.params.length === 0);
  if (defs.length === 0) return undefined;
  return `\\begin{aligned}\n${defs.map((x) => `${latexName(x.name)} &= ${toLatex(x.body)}`).join(" \\\\\n")}\n\\end{aligned}`;
}

/** Markdown: the definitions in scope, the aligned block as display math, the notes, and the result(s). */
export function stepsToMarkdown(d: Derivation): string {
  const defs = definitionsLatex(d);
  const parts = [...(defs ? [`With the definitions\n\n$$\n${defs}\n$$`] : []), `$$\n${stepsToLatex(d)}\n$$`];
  for (const n of d.notes) parts.push(`> ${n}`);
  for (const r of resultsOf(d)) parts.push(`**Result:** $${resultLhs(d, r.wrt)} = ${r.latex}$`);
  return parts.join("\n\n");
}

/**
 * The definitions the lines' names stand for, as re-parseable `name = body` lines in source order
 * (function definitions are left out: the parser has already applied them where they were used).
 * A step's text means what it says with these in scope (see steps/read.ts).
 */
export function definitionLines(d: Derivation): string[] {
  return d.program.definitions.filter((x) => x.params.length === 0).map((x) => `${x.name} = ${toText(x.body)}`);
}

/** JSON of the CLI contract: {result, steps: [{rule, text, latex, lhs?}], latex, definitions, notes?}. */
export function stepsToJson(d: Derivation): Record<string, unknown> {
  const results = resultsOf(d);
  const json: Record<string, unknown> = {
    result: results.length === 1 ? results[0]!.text : Object.fromEntries(results.map((r) => [r.wrt, r.text])),
    steps: renderLines(d).map((l) => (l.lhs === undefined ? { rule: l.rule, text: l.text, latex: l.latex } : { rule: l.rule, lhs: l.lhs, text: l.text, latex: l.latex })),
    latex: stepsToLatex(d),
    definitions: definitionLines(d),
  };
  if (d.notes.length > 0) json.notes = d.notes;
  return json;
}

export const PAGE_CSS = `
body { margin: 0; font: 17px/1.6 Georgia, "Times New Roman", serif; color: #1d2430; background: #fff; }
main { max-width: 60rem; margin: 0 auto; padding: 1.5rem 1.1rem 3rem; }
h1 { font: 600 1.5rem/1.25 system-ui, sans-serif; border-bottom: 2px solid #2f5fa7; padding-bottom: .3rem; }
.derivation { overflow-x: auto; overflow-y: hidden; padding: .2rem 0; }
.note { background: #fff8e1; border-left: 3px solid #e0a800; padding: .3rem .7rem; }
.result { margin-top: 1rem; }
.math-error { color: #a11; background: #fdecec; font-family: monospace; white-space: pre-wrap; }
footer { color: #5b6474; font-size: .8rem; margin-top: 2rem; }
`;

/**
 * One self-contained HTML page: KaTeX rendered at build time, its CSS and fonts inlined (no
 * network, no files beside it). LaTeX errors throw: every string here must be valid KaTeX.
 */
export function stepsToHtml(d: Derivation, title: string): string {
  const fail = (message: string): never => {
    throw new Error(message);
  };
  const block = renderMath(stepsToLatex(d), true, fail);
  const defs = definitionsLatex(d);
  const definitions = defs ? `<p>With the definitions</p>\n<div class="derivation">${renderMath(defs, true, fail)}</div>\n` : "";
  const notes = d.notes.map((n) => `<p class="note">${escapeHtml(n)}</p>`).join("\n");
  const results = resultsOf(d)
    .map((r) => `<p class="result">Result: ${renderMath(`${resultLhs(d, r.wrt)} = ${r.latex}`, false, fail)}</p>`)
    .join("\n");
  return htmlDocument({
    title,
    head: `<style>${inlineKatexCss()}</style>\n<style>${PAGE_CSS}</style>`,
    main: `<h1>${escapeHtml(title)}</h1>\n${definitions}<div class="derivation">${block}</div>\n${notes}\n${results}`,
    footer: "generated by derive; every line was computed by the engine.",
  });
}


/** Programs printed back: one definition per line, then the expression of interest. */
import { sym } from "../ast/index.js";
import type { Definition, Program } from "../program/index.js";
import { toText } from "./text.js";
import { toLatex } from "./latex.js";
import { latexName } from "./names.js";

const head = (d: Definition): string => (d.params.length > 0 ? `${d.name}(${d.params.join(", ")})` : d.name);
const headLatex = (d: Definition): string =>
  d.params.length > 0 ? `${latexName(d.name)}\\left(${d.params.map(latexName).join(", ")}\\right)` : latexName(d.name);

/** Whether the last line is just the name of the trailing definition (then it is not repeated). */
const targetIsLastDefinition = (p: Program): boolean =>
  p.targetName !== undefined && (p.definitions.length > 0 && p.definitions[p.definitions.length - 1]!.name === p.targetName) && (p.target === sym(p.targetName) || p.definitions[p.definitions.length - 1]!.params.length > 0);

/** Re-parseable text: `name = body` lines, then the target expression. */
export function programToText(p: Program): string {
  const lines = p.definitions.map((d) => `${head(d)} = ${toText(d.body)}`);
  if (!targetIsLastDefinition(p)) lines.push(toText(p.target));
  return lines.join("\n");
}

/** LaTeX: an `aligned` block of definitions, or the bare expression when there are none. */
export function programToLatex(p: Program): string {
  if (p.definitions.length === 0) return toLatex(p.target);
  const lines = p.definitions.map((d) => `${headLatex(d)} &= ${toLatex(d.body)}`);
  if (!targetIsLastDefinition(p)) lines.push(`&${toLatex(p.target)}`);
  return `\\begin{aligned}\n${lines.join(" \\\\\n")}\n\\end{aligned}`;
}

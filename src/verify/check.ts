/**
 * Checking hand derivations: claims and chains in the text syntax (one per line, a line starting
 * with "=" continuing the previous one), LaTeX claims, and whole Markdown or LaTeX documents.
 */
import { toLatex, toText } from "../render/index.js";
import { DeriveError } from "../errors.js";
import type { Expr } from "../ast/index.js";
import { splitAssignments, splitTopLevel } from "../parse/assignments.js";
import { Context } from "./context.js";
import { checkChain, recordDefinition, type Segment } from "./chain.js";
import { TextReader } from "./text.js";
import type { CheckReport, StepReport } from "./types.js";
import { LatexReader } from "./latex/read.js";
import { documentBlocks, latexLines, type Block } from "./latex/document.js";
import { checkMatrixChain, definedName, isMatrixChain, MatrixScope, namesKnown } from "./matrix.js";
import { LATEX_MATRIX_SYNTAX, latexToMatrixText } from "./latex/matrix.js";

export interface CheckOptions {
  /** Context: `w1=0.25, x=0.63` or definitions `f = sigmoid(z)`, separated by commas or lines. */
  readonly given?: string;
}

const show = (e: Expr): string => toText(e);

/** Splits a line at the "=" (and "≈") signs outside brackets. */
export function splitSides(line: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === "(" || c === "[" || c === "{") depth++;
    else if (c === ")" || c === "]" || c === "}") depth--;
    else if ((c === "=" || c === "≈") && depth === 0) {
      out.push(line.slice(start, i));
      start = i + 1;
    }
  }
  out.push(line.slice(start));
  return out;
}

/** The context of `--given`. */
export function givenContext(given: string | undefined): Context {
  return givenContexts(given).context;
}

/**
 * `--given` split between scalar claims and matrix claims: declarations (`W: matrix; x: vector`)
 * and values or definitions with matrices (`W = [[0.3, 0.5], [-0.2, 0.4]]`, `Y = W X`) belong to
 * matrix programs; the rest is the scalar context (scalar values are given to both). Items are
 * separated by commas, semicolons or lines.
 */
function givenContexts(given: string | undefined): { context: Context; scope: MatrixScope } {
  const context = new Context();
  const scope = new MatrixScope();
  if (given === undefined) return { context, scope };
  const scalar: string[] = [];
  for (const part of splitTopLevel(given.replace(/\n/g, ","))) {
    for (const item of splitTopLevel(part, ";")) {
      if (item.trim() === "") continue;
      if (!scope.addGiven(item)) scalar.push(item);
    }
  }
  const reader = new TextReader(context);
  for (const [target, body] of splitAssignments(scalar.join(","), "--given (values or definitions)")) {
    // z_i = sum(w_ik*x_k, k, 1, d) + b_i: a definition of index programs only
    recordDefinition(reader, context, target, body);
  }
  return { context, scope };
}


/** How `\hat{Y}` is named in matrix claims: `Yhat` when that name is in scope, else `Ŷ`. */
const hatName = (scope: MatrixScope) => (base: string): string => {
  const accented = (base + "\u0302").normalize("NFC");
  return scope.known.has(`${base}hat`) && !scope.known.has(accented) ? `${base}hat` : accented;
};

/** Bold names not declared are vectors (lowercase) or matrices (uppercase), as the notation says. */
function declareBold(latex: string, scope: MatrixScope): void {
  for (const m of latex.matchAll(/\\(?:mathbf|boldsymbol|bm)\s*\{\s*([A-Za-z])\s*\}(?:_\{?([A-Za-z0-9]+)\}?)?/g)) {
    const raw = m[2] ? `${m[1]}_${m[2]}` : m[1]!;
    scope.declareInferred(raw, /[a-z]/.test(m[1]!) ? "vector" : "matrix");
  }
}

export const summarize = (steps: readonly StepReport[]): CheckReport => ({ valid: steps.every((s) => s.verdict === "valid"), steps });

/** Claims and chains in the text syntax, one per line. */
export function checkText(input: string, options: CheckOptions = {}): CheckReport {
  const { context, scope } = givenContexts(options.given);
  const reader = new TextReader(context);
  const chains: Segment[][] = [];
  input.split(/\r\n|\r|\n/).forEach((raw, index) => {
    const text = raw.replace(/#.*$/, "");
    if (text.trim() === "") return;
    const sides = splitSides(text);
    const segments = sides.map((s) => ({ text: s, line: index + 1 }));
    if (sides[0]!.trim() === "" && sides.length > 1) {
      const previous = chains[chains.length - 1];
      if (!previous) throw new DeriveError(`line ${index + 1}: a line starting with "=" must continue a claim on an earlier line`);
      previous.push(...segments.slice(1));
    } else chains.push(segments);
  });
  const steps: StepReport[] = [];
  for (const chain of chains) {
    if (chain.length === 1) throw new DeriveError(`line ${chain[0]!.line}: "${chain[0]!.text.trim()}" is not a claim: expected left side = right side`);
    const defined = definedName(chain[0]!.text);
    // a first side naming something neither context knows yet
    const newName = defined !== undefined && !context.isDefined(defined) && !scope.known.has(defined);
    // a new name defined as a matrix (v = [1, 2], Y = W X) is a definition of matrix programs
    const matrixDefinition = newName && scope.isMatrixText(chain[1]!.text);
    if (matrixDefinition || isMatrixChain(chain.map((s) => s.text), scope)) {
      steps.push(...checkMatrixChain(chain, scope, { lenient: false, notation: "text", translate: (t) => t }));
      continue;
    }
    // a scalar defined in the input (eta = 0.1) is known to later matrix claims as well
    if (newName) scope.addGiven(`${chain[0]!.text} = ${chain[1]!.text}`);
    steps.push(...checkChain(chain, reader, context, { lenient: false, show, latex: toLatex, notation: "text" }));
  }
  return summarize(steps);
}

/** Each block of display math: rows become chains, checked in order in one shared context. */
export function checkBlocks(blocks: readonly Block[], options: CheckOptions, lenient: boolean): CheckReport {
  const { context, scope } = givenContexts(options.given);
  const reader = new LatexReader(context);
  const steps: StepReport[] = [];
  for (const block of blocks) {
    const chains: Segment[][] = [];
    for (const row of block.rows) {
      const segments = row.sides.map((text) => ({ text, line: row.line }));
      if (row.sides[0]!.trim() === "" && row.sides.length > 1 && chains.length > 0) chains[chains.length - 1]!.push(...segments.slice(1));
      else chains.push(segments.filter((s, i) => i > 0 || s.text.trim() !== ""));
    }
    for (const chain of chains) {
      if (chain.length < 2) continue;
      if (chain.some((s) => LATEX_MATRIX_SYNTAX.test(s.text) || scope.mentionsMatrices(s.text))) {
        const translate = (t: string): string => latexToMatrixText(t, { hat: hatName(scope) });
        let texts: string[] | undefined;
        try {
          texts = chain.map((s) => translate(s.text));
        } catch {
          texts = undefined;
        }
        // a bold first side being defined (Y = W X) is a definition, not a declaration
        const target = texts ? definedName(texts[0]!) : undefined;
        for (const [k, s] of chain.entries()) if (k > 0 || target === undefined || scope.known.has(target)) declareBold(s.text, scope);
        // untranslatable LaTeX is reported by checkMatrixChain; claims with undeclared names stay scalar
        if (texts === undefined || texts.some((t) => scope.mentionsMatrices(t)) || namesKnown(texts, scope)) {
          steps.push(...checkMatrixChain(chain, scope, { lenient, notation: "latex", translate }));
          continue;
        }
      }
      steps.push(...checkChain(chain, reader, context, { lenient, show, latex: toLatex, notation: "latex" }));
    }
  }
  return summarize(steps);
}

/** A Markdown or LaTeX document: every display block is checked; prose is skipped. */
export function checkDocument(file: string, options: CheckOptions & { kind: "markdown" | "tex" }): CheckReport {
  return checkBlocks(documentBlocks(file, options.kind), options, true);
}

/** Claims as typed: a document when it has math delimiters, LaTeX when it has commands, else the text syntax. */
export function checkInput(input: string, options: CheckOptions = {}): CheckReport {
  // a matrix environment is part of a claim, not a document's display math
  if (/\$|\\\[|\\begin\{(?!(?:p|b|B|v|V|small)?matrix\})/.test(input)) return checkDocument(input, { ...options, kind: "markdown" });
  if (/\\[a-zA-Z]/.test(input)) return checkBlocks(latexLines(input), options, false);
  return checkText(input, options);
}

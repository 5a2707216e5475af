/**
 * A chain `a = b = c …` (a claim is a chain of two): each side is compared with the one before
 * it. A first side `name = …` or `f(x, y) = …` with a new name is a definition, not a claim; a
 * first side that is a derivative operator is differentiated, and the chain's later sides are
 * judged against that derivative when a step is wrong (the expected expression, the mistake).
 *
 * A step with a sum whose bound is a name (`\sum_{i=1}^{n}`) is decided through index programs
 * (index-sums.ts): both sides at random draws with n from 1 to 6, valid when they agree at every
 * draw (a randomised test, not a proof), invalid with a counterexample. What index programs
 * refuse (the index used as a number, a sum from 0) is checked with the name set to 1, 2, 3 and 4
 * in turn: one value where the sides differ makes it invalid (the value is part of the
 * counterexample), but agreement for a few n proves nothing for every n, so it stays unknown.
 */
import { simplify } from "../simplify/index.js";
import { DeriveError } from "../errors.js";
import type { Expr } from "../ast/index.js";
import type { Context } from "./context.js";
import { compareSides, type Side, type StepOutcome } from "./compare.js";
import { SymbolicBound, Unsupported, type StepReport } from "./types.js";
import { num } from "../ast/index.js";
import { compareEntrywise, entryDerivatives, tensorLatex, tensorText, type CorrectTensor } from "./entrywise.js";
import type { IExpr } from "../index-notation/index.js";
import { chainSide, indexDerivative, indexStep, mentionsIndexOnly, noteIndexDefinition, type IndexSide } from "./index-sums.js";

export interface Reader {
  /** The same reader over another context (a copy with a sum's bound given a value). */
  fork(context: Context): Reader;
  /** Reads a side; names in `keep` are not replaced by their definitions. */
  side(text: string, keep: ReadonlySet<string>): Side;
  /** The defined name (and parameters) when `text` has the shape of a definition's left side. */
  definitionTarget(text: string): { name: string; params: string[] } | undefined;
  /** Records `target = body` in the context; false (nothing recorded) when the body mentions the name itself (`x = x`: a claim). */
  define(targetText: string, bodyText: string): boolean;
  /** The side in the formula language, for sums up to a symbolic bound (index programs). */
  indexSide(text: string): IndexSide;
}

export interface Segment {
  readonly text: string;
  readonly line: number;
}

export interface ChainOptions {
  /** Input errors become unknown steps (documents) instead of aborting (a single claim). */
  readonly lenient: boolean;
  readonly show: (e: Expr) => string;
  /** LaTeX of an expression (the expected one, in the HTML report). */
  readonly latex: (e: Expr) => string;
  /** How the claims are written: LaTeX claims are shown rendered in the HTML report. */
  readonly notation: "latex" | "text";
}

function failure(err: unknown, options: ChainOptions): string {
  if (err instanceof Unsupported) return err.message;
  if (err instanceof DeriveError && options.lenient) return `could not read this: ${err.message}`;
  // in a document one bad step must not stop the others: anything else is reported, not thrown
  if (options.lenient && err instanceof Error && !(err instanceof RangeError && /call stack/i.test(err.message))) {
    return `could not check this (internal error: ${err.message})`;
  }
  throw err;
}

type Outcome = StepOutcome & { readonly correct?: Expr | CorrectTensor; readonly expected?: { readonly text: string; readonly latex: string } };
type ChainDerivative = { correct: Expr; operand: Expr; wrt: string } | undefined;

/** One step between two sides that were read: entrywise for vectors and matrices. */
function compareStep(left: Side, right: Side, context: Context, derivative: ChainDerivative, entries: ReturnType<typeof entryDerivatives>, show: (e: Expr) => string): Outcome {
  if (left.tensor || right.tensor) return compareEntrywise(left, right, context, entries, show);
  const outcome = compareSides(left, right, context, derivative, show);
  return outcome.verdict === "invalid" && derivative ? { ...outcome, correct: simplify(derivative.correct) } : outcome;
}

/** The report of a step: the expected expression in text (and LaTeX for display), the claim's LaTeX. */
function report(line: number, written: string, outcome: Outcome, options: ChainOptions): StepReport {
  const { correct, expected: given, ...rest } = outcome;
  // a claim written over several lines (a pmatrix) is reported on one
  const claim = written.replace(/\s*\n\s*/g, " ");
  let expected: { text: string; latex: string } | undefined;
  if (given) expected = given;
  else if (correct && "kind" in correct) expected = { text: options.show(correct), latex: options.latex(correct) };
  else if (correct) expected = { text: tensorText(correct.shape, correct.entries.map(options.show)), latex: tensorLatex(correct.shape, correct.entries.map(options.latex)) };
  const display = {
    ...(options.notation === "latex" ? { claimLatex: claim } : {}),
    ...(expected ? { expectedLatex: expected.latex } : {}),
  };
  return { line, claim, ...rest, ...(expected ? { expected: expected.text } : {}), ...(Object.keys(display).length > 0 ? { display } : {}) };
}

const derivativeOf = (side: Side): ChainDerivative => (side.derivative ? { correct: side.expr, operand: side.derivative.operand, wrt: side.derivative.wrt } : undefined);

/** The values a sum's symbolic bounds take: 1..4 for each name (at most 64 combinations). */
export const BOUND_VALUES = [1, 2, 3, 4] as const;

function assignments(names: readonly string[]): Array<Record<string, number>> {
  let out: Array<Record<string, number>> = [{}];
  for (const n of names.slice(0, 3)) out = out.flatMap((a) => BOUND_VALUES.map((k) => ({ ...a, [n]: k })));
  // names beyond the third take the same value as the first
  return out.map((a) => Object.fromEntries([...Object.entries(a), ...names.slice(3).map((n) => [n, a[names[0]!]!] as const)]));
}

/** A step with symbolic sum bounds: the sides re-read with the bounds set to small values. */
function overBounds(leftText: string, rightText: string, names: readonly string[], reader: Reader, context: Context, keep: ReadonlySet<string>, first: boolean, show: (e: Expr) => string): Outcome {
  let unknown: Outcome | undefined;
  for (const values of assignments(names)) {
    const child = context.fork();
    for (const [n, k] of Object.entries(values)) child.values.set(n, num(k));
    const r = reader.fork(child);
    const left = r.side(leftText, keep);
    const right = r.side(rightText, keep);
    const outcome = compareStep(left, right, child, first ? derivativeOf(left) : undefined, first ? entryDerivatives(left) : undefined, show);
    const at = Object.entries(values).map(([n, k]) => `${n} = ${k}`).join(", ");
    if (outcome.verdict === "invalid") {
      const counterexample = outcome.lhs !== undefined ? { counterexample: { ...values, ...(outcome.counterexample ?? {}) } } : {};
      return { ...outcome, reason: `for ${at}: ${outcome.reason}`, ...counterexample };
    }
    if (outcome.verdict === "unknown") unknown ??= { ...outcome, reason: `for ${at}: ${outcome.reason}` };
  }
  if (unknown) return unknown;
  const list = names.length === 1 ? `${names[0]} = ${BOUND_VALUES.join(", ")}` : `${names.join(", ")} from ${BOUND_VALUES[0]} to ${BOUND_VALUES[BOUND_VALUES.length - 1]}`;
  return { verdict: "unknown", reason: `true for ${list} (each expanded and checked); a sum with a symbolic bound is not proved for every ${names.join(", ")}` };
}

type Read = { readonly side: Side } | { readonly bound: readonly string[] };

/** Reads a side; a symbolic sum bound is not an error here but a step to check over bound values. */
function read(reader: Reader, text: string, keep: ReadonlySet<string>): Read {
  try {
    return { side: reader.side(text, keep) };
  } catch (err) {
    if (err instanceof SymbolicBound) return { bound: err.names };
    throw err;
  }
}

/**
 * Records `target = body` with the reader and for index programs; false when it is not a
 * definition (`x = x`). A body with a sum up to a symbolic bound (L = (1/n) Σ …) is a definition
 * of index programs only; other errors are thrown.
 */
export function recordDefinition(reader: Reader, context: Context, target: string, body: string): boolean {
  try {
    const defined = reader.define(target, body);
    if (defined) noteIndexDefinition(context, reader, target, body, false);
    return defined;
  } catch (err) {
    if (!(err instanceof SymbolicBound && noteIndexDefinition(context, reader, target, body, true))) throw err;
    return true;
  }
}

export function checkChain(segments: readonly Segment[], reader: Reader, context: Context, options: ChainOptions): StepReport[] {
  const steps: StepReport[] = [];
  if (segments.length === 0) return steps;
  let start = 0;
  try {
    const target = segments.length >= 2 ? reader.definitionTarget(segments[0]!.text) : undefined;
    if (target && !context.isDefined(target.name)) {
      if (recordDefinition(reader, context, segments[0]!.text, segments[1]!.text)) start = 1;
    }
  } catch (err) {
    const reason = failure(err, options);
    return [report(segments[0]!.line, segments.map((s) => s.text.trim()).join(" = "), { verdict: "unknown", reason }, options)];
  }
  if (segments.length - start < 2) return steps;
  let left: Read;
  try {
    left = read(reader, segments[start]!.text, new Set());
  } catch (err) {
    const reason = failure(err, options);
    return [report(segments[start]!.line, segments.slice(start).map((s) => s.text.trim()).join(" = "), { verdict: "unknown", reason }, options)];
  }
  const first = "side" in left ? left.side : undefined;
  const d = first?.derivative;
  const keep = new Set<string>(d && context.isDefined(d.wrt) ? [d.wrt] : []);
  const derivative = first ? derivativeOf(first) : undefined;
  const entries = first ? entryDerivatives(first) : undefined;
  let leftText = segments[start]!.text;
  // the first side in index notation: its variables stay free in later steps (x_j), its
  // derivative (taken at most once, when a later step needs it) is the expected expression
  const firstIndex = chainSide(reader, segments[start]!.text);
  const chainWrts = firstIndex?.wrts ?? [];
  let chainDerivative: { readonly expr: IExpr | undefined } | undefined;
  for (let i = start + 1; i < segments.length; i++) {
    const segment = segments[i]!;
    const claim = `${leftText.trim()} = ${segment.text.trim()}`;
    let right: Read;
    try {
      right = read(reader, segment.text, keep);
    } catch (err) {
      steps.push(report(segment.line, claim, { verdict: "unknown", reason: failure(err, options) }, options));
      return steps;
    }
    let step: StepReport;
    try {
      const indexOnly = mentionsIndexOnly(context, reader, leftText) || mentionsIndexOnly(context, reader, segment.text);
      const decided = "bound" in left || "bound" in right || indexOnly
        ? indexStep(reader, context, leftText, segment.text, {
          chainWrts,
          ...(i > start + 1 ? { expected: (chainDerivative ??= { expr: indexDerivative(context, firstIndex) }).expr } : {}),
        })
        : undefined;
      if (decided && "outcome" in decided) {
        step = report(segment.line, claim, decided.outcome, options);
      } else if (indexOnly) {
        step = report(segment.line, claim, { verdict: "unknown", reason: `a name defined with a sum up to a symbolic bound is used here, but the step cannot be read in index notation: ${decided?.refused ?? "no index reading"}` }, options);
      } else if ("side" in left && "side" in right) {
        step = report(segment.line, claim, compareStep(left.side, right.side, context, derivative, entries, options.show), options);
      } else {
        const names = [...new Set([...("bound" in left ? left.bound : []), ...("bound" in right ? right.bound : [])])];
        step = report(segment.line, claim, overBounds(leftText, segment.text, names, reader, context, keep, i === start + 1, options.show), options);
      }
    } catch (err) {
      step = report(segment.line, claim, { verdict: "unknown", reason: failure(err, options) }, options);
    }
    steps.push(step);
    left = right;
    leftText = segment.text;
  }
  return steps;
}

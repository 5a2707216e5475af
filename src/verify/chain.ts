/**
 * A chain `a = b = c …` (a claim is a chain of two): each side is compared with the one before
 * it. A first side `name = …` or `f(x, y) = …` with a new name is a definition, not a claim; a
 * first side that is a derivative operator is differentiated, and the chain's later sides are
 * judged against that derivative when a step is wrong (the expected expression, the mistake).
 */
import { simplify } from "../simplify/index.js";
import { DeriveError } from "../errors.js";
import type { Expr } from "../ast/index.js";
import type { Context } from "./context.js";
import { compareSides, type Side } from "./compare.js";
import { Unsupported, type StepReport } from "./types.js";
import { compareEntrywise, entryDerivatives } from "./entrywise.js";

export interface Reader {
  /** Reads a side; names in `keep` are not replaced by their definitions. */
  side(text: string, keep: ReadonlySet<string>): Side;
  /** The defined name (and parameters) when `text` has the shape of a definition's left side. */
  definitionTarget(text: string): { name: string; params: string[] } | undefined;
  /** Records `target = body` in the context; false (nothing recorded) when the body mentions the name itself (`x = x`: a claim). */
  define(targetText: string, bodyText: string): boolean;
}

export interface Segment {
  readonly text: string;
  readonly line: number;
}

export interface ChainOptions {
  /** Input errors become unknown steps (documents) instead of aborting (a single claim). */
  readonly lenient: boolean;
  readonly show: (e: Expr) => string;
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

export function checkChain(segments: readonly Segment[], reader: Reader, context: Context, options: ChainOptions): StepReport[] {
  const steps: StepReport[] = [];
  if (segments.length === 0) return steps;
  let start = 0;
  try {
    const target = segments.length >= 2 ? reader.definitionTarget(segments[0]!.text) : undefined;
    if (target && !context.isDefined(target.name) && reader.define(segments[0]!.text, segments[1]!.text)) start = 1;
  } catch (err) {
    const reason = failure(err, options);
    return [{ line: segments[0]!.line, claim: segments.map((s) => s.text.trim()).join(" = "), verdict: "unknown", reason }];
  }
  if (segments.length - start < 2) return steps;
  let left: Side;
  try {
    left = reader.side(segments[start]!.text, new Set());
  } catch (err) {
    const reason = failure(err, options);
    return [{ line: segments[start]!.line, claim: segments.slice(start).map((s) => s.text.trim()).join(" = "), verdict: "unknown", reason }];
  }
  const d = left.derivative;
  const keep = new Set<string>(d && context.isDefined(d.wrt) ? [d.wrt] : []);
  const derivative = d ? { correct: left.expr, operand: d.operand, wrt: d.wrt } : undefined;
  const entries = entryDerivatives(left);
  for (let i = start + 1; i < segments.length; i++) {
    const segment = segments[i]!;
    const claim = `${left.text.trim()} = ${segment.text.trim()}`;
    let right: Side;
    try {
      right = reader.side(segment.text, keep);
    } catch (err) {
      steps.push({ line: segment.line, claim, verdict: "unknown", reason: failure(err, options) });
      return steps;
    }
    let report: StepReport;
    try {
      if (left.tensor || right.tensor) {
        report = { line: segment.line, claim, ...compareEntrywise(left, right, context, entries, options.show) };
      } else {
        const outcome = compareSides(left, right, context, derivative, options.show);
        report = { line: segment.line, claim, ...outcome };
        if (outcome.verdict === "invalid" && derivative) report = { ...report, expected: options.show(simplify(derivative.correct)) };
      }
    } catch (err) {
      report = { line: segment.line, claim, verdict: "unknown", reason: failure(err, options) };
    }
    steps.push(report);
    left = right;
  }
  return steps;
}

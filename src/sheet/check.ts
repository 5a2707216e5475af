/**
 * The `check` directive: a claim on a chunk line, decided by the verifier of `derive check` with
 * the sheet's definitions (and the values of an `at` clause) as its context.
 *
 *   check d/dx sigmoid(x) = sigmoid(x)*(1 - sigmoid(x))
 *   check sigmoid(w1*x) = 0.539294 at w1=0.25, x=0.63
 *
 * Each step of the claim (a chain a = b = c has two) becomes a block showing the claim and its
 * verdict. A verdict other than the chunk's `#| expect:` (default valid) is a chunk error, so a
 * sheet cannot state a wrong claim unnoticed, and a "typical mistake" example cannot turn out right.
 */
import { DeriveError } from "../errors.js";
import { checkText, type StepReport, type Verdict } from "../verify/index.js";
import { Unsupported } from "../verify/types.js";
import type { CheckBlock } from "./types.js";

/** Runs one claim; `definitions` are the sheet's definition lines so far. */
export function runCheck(claim: string, definitions: readonly string[], at: string | undefined, expected: Verdict): CheckBlock[] {
  const given = [...definitions, ...(at === undefined ? [] : [at])].join("\n");
  let steps: readonly StepReport[];
  try {
    steps = checkText(claim, { given }).steps;
  } catch (err) {
    // a context the verifier cannot read yet (matrices): the claim is undecided, not a crash
    if (!(err instanceof Unsupported)) throw err;
    steps = [{ line: 1, claim, verdict: "unknown", reason: err.message }];
  }
  if (steps.length === 0) throw new DeriveError(`check expects a claim, left side = right side; "${claim}" defines a new name instead`);
  // the values are part of what is claimed, so the claim is shown with them
  const shown = (r: StepReport): StepReport => (at === undefined ? r : { ...r, claim: `${r.claim} at ${at.trim()}` });
  return steps.map((report) => ({ kind: "check", report: shown(report), expected }));
}

/** The chunk error a check block stands for, if its verdict is not the one expected. */
export function checkError(block: CheckBlock): string | undefined {
  const { report, expected } = block;
  if (report.verdict === expected) return undefined;
  return `check ${report.claim}: ${report.verdict}, expected ${expected} (${report.reason})`;
}

/** A number in a report, to 10 significant digits (as `derive check` prints them). */
const num = (v: number): string => String(Number(v.toPrecision(10)));

/**
 * The verdict's headline and its explanation as plain text lines, for every output format to
 * escape in its own way: the reason, the counterexample with both sides' values, the correct form.
 */
export function checkSummary(block: CheckBlock): { headline: string; details: string[] } {
  const { report, expected } = block;
  const verdict = { valid: "valid", invalid: "invalid", unknown: "unknown" }[report.verdict];
  const headline =
    report.verdict === expected
      ? { valid: verdict, invalid: `${verdict}, as expected: the mistake is caught`, unknown: `${verdict}, as expected` }[expected]
      : `${verdict}, but the sheet expects ${expected}`;
  const details = [report.reason];
  if (report.counterexample) {
    const point = Object.entries(report.counterexample).map(([k, v]) => `${k} = ${num(v)}`).join(", ");
    const sides = report.lhs !== undefined && report.rhs !== undefined ? `: left side ${num(report.lhs)}, right side ${num(report.rhs)}` : "";
    details.push(`at ${point}${sides}`);
  }
  if (report.expected !== undefined && report.verdict !== "valid") details.push(`correct: ${report.expected}`);
  return { headline, details };
}

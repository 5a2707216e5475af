/** The verdicts of `derive check` and the shape of its report (the JSON contract of the CLI). */
export type Verdict = "valid" | "invalid" | "unknown";

export interface StepReport {
  /** 1-based line of the claim in the input (the file line for documents). */
  readonly line: number;
  /** The claim as written (for a continued chain: the previous side, "=", this side). */
  readonly claim: string;
  readonly verdict: Verdict;
  /** Why, in a sentence: the rule that decided, or the mistake recognised. */
  readonly reason: string;
  /** A point where the two sides differ (invalid claims with variables). */
  readonly counterexample?: Record<string, number>;
  /** Value of the left side (at the counterexample, or the number itself). */
  readonly lhs?: number;
  /** Value of the right side. */
  readonly rhs?: number;
  /** The correct expression (derivative claims), in the text syntax. */
  readonly expected?: string;
  /**
   * For the HTML report, not part of the JSON contract: the claim as written when it was LaTeX,
   * and the expected expression as LaTeX.
   */
  readonly display?: { readonly claimLatex?: string; readonly expectedLatex?: string };
}

export interface CheckReport {
  /** Every step is valid (no invalid and no unknown step). */
  readonly valid: boolean;
  readonly steps: readonly StepReport[];
}

/** A claim that this version cannot decide (matrices, symbolic sums): verdict unknown. */
export class Unsupported extends Error {
  override readonly name = "Unsupported";
}

/** Why claims with undeclared symbolic matrices are unknown: their names need declarations to be read as matrices (src/verify/matrix.ts). */
export const MATRIX_CALCULUS = 'symbolic matrices and vectors (bold names, transposes, products like W x) need matrix calculus: declare their names (--given "W: matrix; x: vector") to have them checked as matrices';

/** A sum whose bound is a name (`\sum_{i=1}^{n}`): the step is checked for a few values of the names. */
export class SymbolicBound extends Unsupported {
  constructor(readonly names: readonly string[]) {
    super(`a sum with symbolic bounds (${names.join(", ")}) cannot be expanded`);
  }
}

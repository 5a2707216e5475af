/**
 * Eigenvalues of a real symmetric matrix (a Hessian at a point), by mathjs's `eigs`, and the
 * condition number they give: what sheet E asks about a quadratic's curvature.
 */
import { createRequire } from "node:module";
import { DeriveError } from "../errors.js";

type Eigs = (m: number[][]) => { values: unknown };
let eigsFunction: Eigs | undefined;

/**
 * mathjs takes most of a second to load (it brings its whole bundle along); every CLI call paid
 * for it, though only eigenvalues need it. Loaded on first use instead, synchronously.
 */
function eigs(m: number[][]): { values: unknown } {
  eigsFunction ??= (createRequire(import.meta.url)("mathjs") as { eigs: Eigs }).eigs;
  return eigsFunction(m);
}

/** Eigenvalues, largest first. The matrix must be square and symmetric with finite entries. */
export function symmetricEigenvalues(matrix: readonly (readonly number[])[]): number[] {
  const n = matrix.length;
  if (n === 0 || matrix.some((row) => row.length !== n)) throw new DeriveError("eigenvalues need a square matrix");
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const a = matrix[i]![j]!;
      if (!Number.isFinite(a)) throw new DeriveError("eigenvalues need finite entries; some entry is not a number here");
      if (Math.abs(a - matrix[j]![i]!) > 1e-12 * Math.max(1, Math.abs(a))) throw new DeriveError("eigenvalues are computed for symmetric matrices only");
    }
  }
  const { values } = eigs(matrix.map((row) => [...row]));
  return (values as number[]).map(Number).sort((a, b) => b - a);
}

/** λ_max / λ_min for a positive definite matrix; Infinity when the smallest eigenvalue is not positive. */
export function conditionNumber(eigenvalues: readonly number[]): number {
  const min = eigenvalues[eigenvalues.length - 1]!;
  return min > 0 ? eigenvalues[0]! / min : Infinity;
}

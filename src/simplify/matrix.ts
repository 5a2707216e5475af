/**
 * Simplification in matrix algebra, on top of the canonical forms the constructors keep
 * (transposes pushed in, like terms collected): common factors are taken out of sums, on the
 * left, on the right and among the scalars, so A x + Aᵀ x becomes (A + Aᵀ) x and
 * 2 R Xᵀ + 2 S Xᵀ becomes 2 (R + S) Xᵀ.
 */
import * as Q from "../ast/rational.js";
import * as N from "../matrix/nodes.js";
import type { MExpr } from "../matrix/nodes.js";
import { isScalarShape } from "../matrix/shape.js";

interface Term {
  readonly coefficient: Q.Rational;
  readonly scalars: readonly MExpr[];
  readonly matrices: readonly MExpr[];
}

function term(e: MExpr): Term {
  const [coefficient, rest] = N.splitCoefficient(e);
  const factors = rest.kind === "mul" ? rest.args : rest === N.M_ONE ? [] : [rest];
  return {
    coefficient,
    scalars: factors.filter((f) => isScalarShape(f.shape)),
    matrices: factors.filter((f) => !isScalarShape(f.shape)),
  };
}

const build = (t: Term): MExpr => N.mul(N.mconst(t.coefficient), ...t.scalars, ...t.matrices);

/** What remains of a term when `f` (one of its matrix factors at `side`) is taken out. */
function without(t: Term, side: "left" | "right", f: MExpr): MExpr {
  const matrices = side === "left" ? t.matrices.slice(1) : t.matrices.slice(0, -1);
  if (matrices.length === 0) {
    // the factor was all of the matrix part: what is left multiplies as an identity of its size
    const size = side === "left" ? f.shape.cols : f.shape.rows;
    return N.mul(N.mconst(t.coefficient), ...t.scalars, N.identity(size));
  }
  return build({ ...t, matrices });
}

/** The positive rational that divides every coefficient to integers with gcd 1 (2 for 2 A - 4 B). */
function commonCoefficient(terms: readonly Term[]): Q.Rational {
  const gcd = (a: bigint, b: bigint): bigint => (b === 0n ? (a < 0n ? -a : a) : gcd(b, a % b));
  let n = 0n;
  let d = 1n;
  for (const t of terms) {
    n = gcd(n, t.coefficient.n);
    d = (d * t.coefficient.d) / gcd(d, t.coefficient.d);
  }
  return Q.rational(n, d);
}

function factorSum(e: MExpr & { kind: "add" }): MExpr {
  const terms = e.args.map(term);
  const c = commonCoefficient(terms);
  if (!Q.isOne(c) && terms.length > 1) {
    return N.mul(N.mconst(c), simplifyMatrix(N.add(...terms.map((t) => build({ ...t, coefficient: Q.div(t.coefficient, c) })))));
  }
  // a scalar factor common to every term
  const firstScalars = terms[0]!.scalars;
  for (const s of firstScalars) {
    if (terms.every((t) => t.scalars.includes(s))) {
      const rest = terms.map((t) => build({ ...t, scalars: removeOnce(t.scalars, s) }));
      return N.mul(s, simplifyMatrix(N.add(...rest)));
    }
  }
  for (const side of ["right", "left"] as const) {
    const pick = (t: Term): MExpr | undefined => (side === "left" ? t.matrices[0] : t.matrices[t.matrices.length - 1]);
    const f = pick(terms[0]!);
    if (!f || !terms.every((t) => pick(t) === f)) continue;
    // taking out a factor every term consists of alone would only write (c1 + c2) F: like terms did that
    if (terms.every((t) => t.matrices.length === 1 && t.scalars.length === 0)) continue;
    const inner = simplifyMatrix(N.add(...terms.map((t) => without(t, side, f))));
    return side === "left" ? N.mul(f, inner) : N.mul(inner, f);
  }
  return e;
}

function removeOnce(list: readonly MExpr[], x: MExpr): MExpr[] {
  const i = list.indexOf(x);
  return i < 0 ? [...list] : [...list.slice(0, i), ...list.slice(i + 1)];
}

/** Takes common factors out of every sum (bottom-up, over the DAG once). */
export function simplifyMatrix(e: MExpr): MExpr {
  const memo = new Map<MExpr, MExpr>();
  const go = (n: MExpr): MExpr => {
    const hit = memo.get(n);
    if (hit) return hit;
    const rebuilt = N.withChildren(n, N.children(n).map(go));
    const out = rebuilt.kind === "add" ? factorSum(rebuilt) : rebuilt;
    memo.set(n, out);
    return out;
  };
  return go(e);
}

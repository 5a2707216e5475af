/**
 * Exact division of small univariate polynomials with rational coefficients, so that quotients
 * with a polynomial common factor cancel: (x^2 - 1)/(x - 1) = x + 1.
 */
import { add, mul, num, pow, Q, type Expr, type Rational } from "../ast/index.js";

/** Beyond this degree nothing is divided. */
const MAX_DEGREE = 12;

/** Coefficients (index = power) of e as a polynomial in the symbol x, or undefined. */
function coefficients(e: Expr, x: Expr): Rational[] | undefined {
  const out: Rational[] = [];
  const put = (k: number, c: Rational) => {
    while (out.length <= k) out.push(Q.ZERO);
    out[k] = Q.add(out[k]!, c);
  };
  for (const t of e.kind === "add" ? e.args : [e]) {
    let c = Q.ONE;
    let k = 0;
    for (const f of t.kind === "mul" ? t.args : [t]) {
      if (f.kind === "num") c = Q.mul(c, f.value);
      else if (f === x) k += 1;
      else if (f.kind === "pow" && f.base === x && f.exp.kind === "num" && Q.isInteger(f.exp.value) && f.exp.value.n > 0n) k += Number(f.exp.value.n);
      else return undefined;
    }
    if (k > MAX_DEGREE) return undefined;
    put(k, c);
  }
  while (out.length > 0 && Q.isZero(out.at(-1)!)) out.pop();
  return out;
}

/** The one symbol a sum is a polynomial in, if any. */
function variableOf(e: Expr): Expr | undefined {
  for (const t of e.kind === "add" ? e.args : [e]) {
    for (const f of t.kind === "mul" ? t.args : [t]) {
      if (f.kind === "sym") return f;
      if (f.kind === "pow" && f.base.kind === "sym") return f.base;
    }
  }
  return undefined;
}

function toExpr(c: readonly Rational[], x: Expr): Expr {
  return add(...c.map((ck, k) => mul(num(ck), pow(x, num(k)))));
}

/** n / d when d divides the polynomial n exactly (both in one symbol, d of degree ≥ 1). */
export function dividePolynomials(n: Expr, d: Expr): Expr | undefined {
  const x = variableOf(d);
  if (!x) return undefined;
  const nc = coefficients(n, x);
  const dc = coefficients(d, x);
  if (!nc || !dc || dc.length < 2 || nc.length < dc.length) return undefined;
  const rem = [...nc];
  const quotient: Rational[] = new Array(nc.length - dc.length + 1).fill(Q.ZERO);
  const lead = dc.at(-1)!;
  for (let k = nc.length - dc.length; k >= 0; k--) {
    const q = Q.div(rem[k + dc.length - 1]!, lead);
    quotient[k] = q;
    for (let j = 0; j < dc.length; j++) rem[k + j] = Q.sub(rem[k + j]!, Q.mul(q, dc[j]!));
  }
  return rem.every(Q.isZero) ? toExpr(quotient, x) : undefined;
}

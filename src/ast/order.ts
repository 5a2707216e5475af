/**
 * The canonical order of terms in sums and factors in products. It depends only on structure
 * (never on creation order), so printing is deterministic, and it is chosen to read naturally:
 * numbers first in products (2*x), powers next to their base (x*x^2), symbols in natural order
 * (w2 before w11), simple factors before function calls before sums.
 */
import type { Expr } from "./nodes.js";
import * as Q from "./rational.js";

const RANK: Record<Expr["kind"], number> = { num: 0, sym: 1, pow: 2, call: 3, mul: 4, add: 5 };

/** Natural order of names: digit runs compare as numbers (x2 < x10), otherwise by code point. */
export function compareNames(a: string, b: string): number {
  if (a === b) return 0;
  const re = /(\d+)|(\D+)/g;
  const pa = a.match(re) ?? [];
  const pb = b.match(re) ?? [];
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const x = pa[i]!;
    const y = pb[i]!;
    if (x === y) continue;
    const dx = /^\d/.test(x);
    const dy = /^\d/.test(y);
    if (dx && dy) {
      const c = Number(BigInt(x) - BigInt(y));
      if (c !== 0) return c < 0 ? -1 : 1;
      return x.length - y.length;
    }
    return x < y ? -1 : 1;
  }
  return pa.length - pb.length || (a < b ? -1 : a > b ? 1 : 0);
}

function compareLists(a: readonly Expr[], b: readonly Expr[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const c = compareExpr(a[i]!, b[i]!);
    if (c !== 0) return c;
  }
  return a.length - b.length;
}

/** A power sorts by its base, so x, x^2 and x^3 stand together; a plain factor is its own base. */
const baseOf = (e: Expr): Expr => (e.kind === "pow" ? e.base : e);

/** A term of a sum sorts by what multiplies its coefficient, so 2*x sits where x would. */
const termBody = (e: Expr): readonly Expr[] =>
  e.kind === "mul" ? (e.args[0]!.kind === "num" ? e.args.slice(1) : e.args) : [e];

/**
 * Comparisons of deep nodes, remembered: sorting the factors of the derivative of a depth-n
 * composition compares nested chains whose comparison recurses O(n) deep, which would make
 * building it cubic. The order is a function of structure, so remembering it changes nothing.
 */
const DEEP = 16;
const MAX_REMEMBERED = 1 << 20;
let remembered = new Map<number, Map<number, number>>();
let rememberedCount = 0;

export function compareExpr(a: Expr, b: Expr): number {
  if (a === b) return 0;
  if (a.depth < DEEP || b.depth < DEEP) return compareUncached(a, b);
  const hit = remembered.get(a.id)?.get(b.id);
  if (hit !== undefined) return hit;
  const c = compareUncached(a, b);
  if (rememberedCount >= MAX_REMEMBERED) {
    remembered = new Map();
    rememberedCount = 0;
  }
  let row = remembered.get(a.id);
  if (!row) remembered.set(a.id, (row = new Map()));
  row.set(b.id, c);
  rememberedCount++;
  return c;
}

function compareUncached(a: Expr, b: Expr): number {
  // Numbers after everything else in sums (x + 1); products put their coefficient first themselves.
  if (a.kind === "num" || b.kind === "num") {
    if (a.kind === "num" && b.kind === "num") return Q.compare(a.value, b.value);
    return a.kind === "num" ? 1 : -1;
  }
  if (a.kind === "pow" || b.kind === "pow") {
    const c = compareExpr(baseOf(a), baseOf(b));
    if (c !== 0) return c;
    if (a.kind === "pow" && b.kind === "pow") return compareExpr(a.exp, b.exp);
    return a.kind === "pow" ? 1 : -1;
  }
  if (a.kind === "mul" || b.kind === "mul") {
    const c = compareLists(termBody(a), termBody(b));
    if (c !== 0) return c;
    // same body: the bare term first, then by coefficient
    const ca = a.kind === "mul" && a.args[0]!.kind === "num" ? a.args[0].value : Q.ONE;
    const cb = b.kind === "mul" && b.args[0]!.kind === "num" ? b.args[0].value : Q.ONE;
    return Q.compare(ca, cb) || RANK[a.kind] - RANK[b.kind];
  }
  if (a.kind !== b.kind) return RANK[a.kind] - RANK[b.kind];
  switch (a.kind) {
    case "sym":
      return compareNames(a.name, (b as typeof a).name);
    case "call": {
      const bb = b as typeof a;
      return compareNames(a.fn, bb.fn) || compareLists(a.args, bb.args);
    }
    case "add":
      return compareLists(a.args, (b as typeof a).args);
  }
  return 0;
}

/**
 * Generic traversals over expression DAGs. Each memoises per node, so a shared subexpression is
 * visited once however often it occurs (a depth-30 sigmoid chain stays linear).
 */
import { children, withChildren, type Expr, type Sym } from "./nodes.js";

/** Bottom-up rebuild: `visit` sees each node with its children already rewritten. */
export function mapBottomUp(e: Expr, visit: (rebuilt: Expr, original: Expr) => Expr): Expr {
  const memo = new Map<Expr, Expr>();
  const go = (x: Expr): Expr => {
    const hit = memo.get(x);
    if (hit) return hit;
    const kids = children(x);
    let rebuilt = x;
    if (kids.length > 0) {
      const next = kids.map(go);
      if (next.some((k, i) => k !== kids[i])) rebuilt = withChildren(x, next);
    }
    const out = visit(rebuilt, x);
    memo.set(x, out);
    return out;
  };
  return go(e);
}

/** Replaces whole subexpressions (usually symbols) by others, simultaneously. */
export function substitute(e: Expr, replacements: ReadonlyMap<Expr, Expr>): Expr {
  if (replacements.size === 0) return e;
  const memo = new Map<Expr, Expr>();
  const go = (x: Expr): Expr => {
    const direct = replacements.get(x);
    if (direct) return direct;
    const hit = memo.get(x);
    if (hit) return hit;
    const kids = children(x);
    let out = x;
    if (kids.length > 0) {
      const next = kids.map(go);
      if (next.some((k, i) => k !== kids[i])) out = withChildren(x, next);
    }
    memo.set(x, out);
    return out;
  };
  return go(e);
}

/** Every distinct node of the DAG, children before parents. */
export function postorder(e: Expr): Expr[] {
  const seen = new Set<Expr>();
  const out: Expr[] = [];
  // explicit stack: deep expressions must not overflow the JavaScript stack
  const stack: Array<[Expr, boolean]> = [[e, false]];
  while (stack.length > 0) {
    const [x, expanded] = stack.pop()!;
    if (expanded) {
      out.push(x);
      continue;
    }
    if (seen.has(x)) continue;
    seen.add(x);
    stack.push([x, true]);
    const kids = children(x);
    for (let i = kids.length - 1; i >= 0; i--) if (!seen.has(kids[i]!)) stack.push([kids[i]!, false]);
  }
  return out;
}

/** Symbols occurring in e, in order of first appearance (left to right, depth first). */
export function freeSymbols(e: Expr): Sym[] {
  const out: Sym[] = [];
  for (const x of postorder(e)) if (x.kind === "sym") out.push(x);
  return out;
}

/** Number of distinct nodes (the DAG's size) and of operator nodes in the tree view. */
export function dagSize(e: Expr): number {
  return postorder(e).length;
}

/** Operator count of the expression written out as a tree (shared parts counted each time). */
export function treeOperatorCount(e: Expr): number {
  const memo = new Map<Expr, number>();
  for (const x of postorder(e)) {
    const kids = children(x);
    let n = kids.length > 0 ? Math.max(1, kids.length - (x.kind === "call" ? 0 : 1)) : 0;
    for (const k of kids) n += memo.get(k)!;
    memo.set(x, n);
  }
  return memo.get(e)!;
}

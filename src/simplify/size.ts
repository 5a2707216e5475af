/**
 * Size of an expression: its operator count written out as a tree, exactly `treeOperatorCount`
 * from src/ast, but memoised across calls (sizes are properties of hash-consed nodes), so the
 * simplifier can compare candidates in O(new nodes).
 */
import { children, type Expr } from "../ast/index.js";

const sizes = new Map<Expr, number>();

export function operatorCount(e: Expr): number {
  const known = sizes.get(e);
  if (known !== undefined) return known;
  const stack: Array<[Expr, boolean]> = [[e, false]];
  while (stack.length > 0) {
    const [x, ready] = stack.pop()!;
    if (sizes.has(x)) continue;
    const kids = children(x);
    if (!ready) {
      stack.push([x, true]);
      for (const k of kids) if (!sizes.has(k)) stack.push([k, false]);
      continue;
    }
    let n = kids.length > 0 ? Math.max(1, kids.length - (x.kind === "call" ? 0 : 1)) : 0;
    for (const k of kids) n += sizes.get(k)!;
    sizes.set(x, n);
  }
  return sizes.get(e)!;
}

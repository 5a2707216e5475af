// Output sizes, counted the same way for our expressions and for mathjs's node trees.
//
// Our rule (src/simplify/size.ts, `operatorCount` = `treeOperatorCount`): in the canonical form
// (a - b is a + (-1)*b, a/b is a*b^-1, -a is (-1)*a), a sum or product of n terms counts n - 1,
// a power 1, a function application its number of arguments, numbers and symbols 0, and the
// tree view counts a shared subexpression each time it occurs. The DAG size is the number of
// distinct nodes (leaves included).
//
// A mathjs tree is measured by rebuilding it with our constructors (`mathjsToExpr`: structure
// only, no simplification beyond what our constructors always do: flattening, folding numbers,
// x^1 = x) and applying the same two measures. `mathjsNodeCount` is mathjs's own count of
// operator and function nodes, for reference: a - b, a/b and -a are one node each there.

/** Tree-view operator count and DAG node count of a list of expressions (shared parts counted once in the DAG). */
export function exprSizes(lib, exprs) {
  const nodes = new Set();
  let ops = 0;
  for (const e of exprs) {
    ops += lib.treeOperatorCount(e);
    for (const x of lib.postorder(e)) nodes.add(x);
  }
  return { ops, dag: nodes.size };
}

/** A mathjs node tree as our expression (canonicalising constructors, no simplification). */
export function mathjsToExpr(lib, node) {
  const memo = new Map();
  const go = (n) => {
    const hit = memo.get(n);
    if (hit) return hit;
    let out;
    switch (n.type) {
      case "ParenthesisNode":
        out = go(n.content);
        break;
      case "ConstantNode":
        out = lib.num(Number(n.value));
        break;
      case "SymbolNode":
        out = lib.sym(n.name);
        break;
      case "FunctionNode":
        out = lib.call(n.fn.name ?? n.name, ...n.args.map(go));
        break;
      case "OperatorNode": {
        const a = n.args.map(go);
        switch (n.fn) {
          case "add":
            out = lib.add(...a);
            break;
          case "subtract":
            out = lib.sub(a[0], a[1]);
            break;
          case "multiply":
            out = lib.mul(...a);
            break;
          case "divide":
            out = lib.div(a[0], a[1]);
            break;
          case "pow":
            out = lib.pow(a[0], a[1]);
            break;
          case "unaryMinus":
            out = lib.neg(a[0]);
            break;
          case "unaryPlus":
            out = a[0];
            break;
          default:
            throw new Error(`mathjs operator ${n.fn} has no counterpart`);
        }
        break;
      }
      default:
        throw new Error(`mathjs node ${n.type} has no counterpart`);
    }
    memo.set(n, out);
    return out;
  };
  return go(node);
}

/** mathjs's own count: operator nodes (n-ary: n - 1, at least 1) and function nodes (their arguments). */
export function mathjsNodeCount(node) {
  let count = 0;
  node.traverse((n) => {
    if (n.type === "OperatorNode") count += Math.max(1, n.args.length - 1);
    else if (n.type === "FunctionNode") count += n.args.length;
  });
  return count;
}

/** Sizes of a list of mathjs results: ours-rule tree ops and DAG, and mathjs's own node count. */
export function mathjsSizes(lib, nodes) {
  const { ops, dag } = exprSizes(lib, nodes.map((n) => mathjsToExpr(lib, n)));
  return { ops, dag, mathjsNodes: nodes.reduce((s, n) => s + mathjsNodeCount(n), 0) };
}

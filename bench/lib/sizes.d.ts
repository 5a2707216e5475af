// Types of sizes.js, for the TypeScript tests that import it (test/bench/).
import type * as Ast from "../../src/ast/index.js";

/** The part of the library the size functions use (src/ast). */
export type AstLibrary = Pick<
  typeof Ast,
  "treeOperatorCount" | "postorder" | "num" | "sym" | "call" | "add" | "sub" | "mul" | "div" | "pow" | "neg"
>;
export interface Sizes {
  readonly ops: number;
  readonly dag: number;
}
export declare function exprSizes(lib: AstLibrary, exprs: readonly Ast.Expr[]): Sizes;
export declare function mathjsToExpr(lib: AstLibrary, node: unknown): Ast.Expr;
export declare function mathjsNodeCount(node: unknown): number;
export declare function mathjsSizes(lib: AstLibrary, nodes: readonly unknown[]): Sizes & { readonly mathjsNodes: number };

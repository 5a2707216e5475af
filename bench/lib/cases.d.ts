// Types of cases.js, for the TypeScript tests that import it (test/bench/).
import type { Expr } from "../../src/ast/index.js";
import type { Program } from "../../src/program/index.js";

export interface OursSpec {
  readonly kind: "program" | "expression";
  readonly text: string;
  readonly wrt: readonly string[];
  readonly options?: { readonly keep?: ReadonlySet<string> | "all" };
}
export interface MathjsSpec {
  readonly text?: string;
  readonly wrt?: readonly string[];
  readonly budgetMs?: number;
  readonly skipAfter?: string;
  readonly same?: string;
}
export interface DiffCase {
  readonly id: string;
  readonly label: string;
  readonly ours: OursSpec;
  readonly mathjs: MathjsSpec;
}
/** The part of the library runOurs uses. */
export interface OursLibrary {
  parseProgram(text: string): Program;
  parseExpression(text: string): Expr;
  gradient(program: Program, wrt: readonly string[], options?: OursSpec["options"]): Expr[];
  derivative(e: Expr, wrt: readonly string[]): Expr;
}
export declare const mathjsSigmoid: (u: string) => string;
export declare function renameText(text: string, n: (name: string) => string): string;
export declare function prefixNames(prefix: string): (name: string) => string;
export declare function inlineForMathjs(defs: ReadonlyArray<readonly [string, string]>, target: string): string;
export declare const DIFF_CASES: readonly DiffCase[];
export declare function runOurs(lib: OursLibrary, spec: OursSpec, n: (name: string) => string): Expr[];
export declare function runMathjs(math: unknown, spec: MathjsSpec, n: (name: string) => string): unknown[];

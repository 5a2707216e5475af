// Types of problems.js, for the TypeScript tests that import it (test/bench/).
export interface SizeProblem {
  readonly id: string;
  readonly defs: ReadonlyArray<readonly [string, string]>;
  readonly target: string;
  readonly wrt: readonly string[];
}
export declare const NETWORK_DEFS: ReadonlyArray<readonly [string, string]>;
export declare const NETWORK_TARGET: string;
export declare const NETWORK_PARAMS: readonly string[];
export declare function programText(defs: ReadonlyArray<readonly [string, string]>, target: string): string;
export declare function chainText(depth: number, sig?: (u: string) => string): string;
export declare const SIZE_PROBLEMS: readonly SizeProblem[];

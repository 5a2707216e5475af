import type { Expr } from "../ast/index.js";
import type { SourcePosition } from "../errors.js";

/** `name = body` or `name(p1, p2) = body` in a program. */
export interface Definition {
  readonly name: string;
  /** Parameters of a function definition `f(x1, x2) = …`; empty for a plain definition. */
  readonly params: readonly string[];
  /** The right-hand side, with other defined names left as symbols. */
  readonly body: Expr;
  readonly position: SourcePosition;
}

/**
 * A parsed program: definitions (in source order) and the expression of interest. A single
 * formula is a program without definitions. Definitions are not inlined here: differentiation
 * and rendering decide which intermediate names to keep (`--keep`).
 */
export interface Program {
  readonly definitions: readonly Definition[];
  /** The last statement's expression; for a trailing definition, the defined name's symbol. */
  readonly target: Expr;
  /** Name of the trailing definition, when the program ends with one. */
  readonly targetName?: string;
  /** Every identifier that names a variable (not a defined name), in order of first appearance in the source. */
  readonly variables: readonly string[];
}

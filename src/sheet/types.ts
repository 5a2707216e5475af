/** The data of a sheet: its source split into prose and chunks, and what the chunks computed. */
import type { StepReport, Verdict } from "../verify/index.js";
import type { Scene } from "../plot/index.js";

/** Chunk options, written Quarto-style as `#| name: value` lines at the top of a chunk. */
export interface ChunkOptions {
  /** Show the chunk's source above its results (default true). */
  readonly echo: boolean;
  /** Only in the solution sheet (default false): the exercise sheet leaves the chunk out. */
  readonly solution: boolean;
  /**
   * The verdict every `check` line of the chunk should get (default "valid"). "invalid" shows a
   * typical mistake being caught: the sheet then fails to build if the claim turns out right.
   */
  readonly expect?: Verdict;
}

/** A fenced ```derive chunk. */
export interface Chunk {
  /** Line of the opening fence in the sheet (1-based). */
  readonly line: number;
  readonly options: ChunkOptions;
  /** The chunk's lines without the option lines. */
  readonly source: string;
  /** Line in the sheet of the first source line. */
  readonly firstSourceLine: number;
}

/** One piece of computed output. */
export type Block =
  | { readonly kind: "math"; readonly latex: string }
  | { readonly kind: "source"; readonly text: string }
  | { readonly kind: "error"; readonly message: string }
  | CheckBlock
  | FigureBlock;

/** A plot, as drawing primitives every writer draws the same way (SVG, or LaTeX picture). */
export interface FigureBlock {
  readonly kind: "figure";
  readonly scene: Scene;
}

/** A claim of a `check` line with the verifier's report on it, and the verdict the chunk expected. */
export interface CheckBlock {
  readonly kind: "check";
  readonly report: StepReport;
  readonly expected: Verdict;
}

/** A problem found while building, located in a sheet. */
export interface SheetError {
  readonly sheet: string;
  readonly line: number;
  readonly message: string;
}

/** Which sheet is written: with solutions, or the exercises alone. */
export type SheetMode = "solutions" | "exercises";

/** The output formats a sheet is written in: an HTML page, a LaTeX document, Markdown. */
export type SheetFormat = "html" | "tex" | "md";

export const SHEET_FORMATS: readonly SheetFormat[] = ["html", "tex", "md"];

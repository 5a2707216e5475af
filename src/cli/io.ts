/**
 * What every command shares: reading the input (argument, `-` for standard input, or --file),
 * parsing `--at` bindings, writing results in the chosen format, and turning errors into one
 * readable message.
 */
import { readFileSync } from "node:fs";
import { DeriveError } from "../errors.js";

export type Format = "text" | "latex" | "json" | "html" | "markdown";
/** The formats every command writes; a command may allow others (`derive check` writes html). */
export const FORMATS: readonly Format[] = ["text", "latex", "json"];

/** The streams a command talks to; the binary passes process's, tests pass buffers. */
export interface Io {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly readStdin: () => string;
}

/** A command's result in every format it can be written in. */
export interface Output {
  /** The JSON object of the CLI contract. */
  readonly json: unknown;
  /** Plain text: re-parseable syntax where the result is an expression. */
  readonly text: string;
  /** LaTeX (KaTeX-compatible). */
  readonly latex: string;
  /** A standalone HTML page, for commands that list "html" in their formats. */
  readonly html?: string;
  /** Markdown, for commands that list "markdown" in their formats (`derive steps`). */
  readonly markdown?: string;
  /** Exit status when the command ran (default 0): `derive check` exits 1 for an invalid claim. */
  readonly exitCode?: number;
}

export interface InputOptions {
  readonly file?: string;
}

/** The input text: the positional argument, `-` for standard input, or --file PATH. */
export function readInput(arg: string | undefined, options: InputOptions, io: Io): string {
  if (options.file !== undefined) {
    if (arg !== undefined) throw new DeriveError("give the input either as an argument or with --file, not both");
    try {
      return readFileSync(options.file, "utf8");
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      const why = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a directory" : code ?? String(err);
      throw new DeriveError(`cannot read ${options.file}: ${why}`);
    }
  }
  if (arg === undefined) throw new DeriveError("missing input: give an expression, - for standard input, or --file PATH");
  if (arg === "-") return io.readStdin();
  return arg;
}

export { splitAssignments } from "../parse/assignments.js";

/** Comma-separated list of names (`--wrt a,b,c`), trimmed, without empties. */
export function splitNames(text: string | undefined): string[] | undefined {
  if (text === undefined) return undefined;
  const names = text.split(",").map((s) => s.trim()).filter((s) => s.length > 0);
  return names;
}

/** JSON for a number: non-finite values have no JSON form, so they become null. */
export const jsonNumber = (v: number): number | null => (Number.isFinite(v) ? v : null);

/** Writes a result in the chosen format. */
export function emit(output: Output, format: Format, io: Io): void {
  if (format === "json") io.stdout(JSON.stringify(output.json, null, 2) + "\n");
  else io.stdout((format === "latex" ? output.latex : format === "html" ? output.html ?? output.text : format === "markdown" ? output.markdown ?? output.text : output.text) + "\n");
}

/** The one message a user sees for an error: `error: …` plus the source line and caret. */
export function reportError(err: unknown, format: Format, io: Io): number {
  if (err instanceof DeriveError) {
    io.stderr(`error: ${err.message}\n${err.detail ? err.detail.replace(/\n?$/, "\n") : ""}`);
    if (format === "json") {
      const error: Record<string, unknown> = { message: err.message };
      if (err.position) {
        error.line = err.position.line;
        error.column = err.position.column;
      }
      io.stdout(JSON.stringify({ error }, null, 2) + "\n");
    }
    return 2;
  }
  // Anything else is a bug in derive: still one line, no stack trace, but say so.
  const message = err instanceof Error ? err.message : String(err);
  io.stderr(`error: internal error: ${message} (please report this with the input that caused it)\n`);
  if (format === "json") io.stdout(JSON.stringify({ error: { message: `internal error: ${message}` } }, null, 2) + "\n");
  return 2;
}

/** The shape of one CLI command: its words, its options and what it computes. */
import type { Format, Output } from "./io.js";

export interface OptionSpec {
  /** Commander flag syntax, e.g. "--wrt <names>". */
  readonly flags: string;
  readonly description: string;
  readonly defaultValue?: string;
}

/** Option values as commander hands them over: strings (or booleans for bare flags). */
export type OptionValues = Readonly<Record<string, string | boolean | undefined>>;

export interface CommandSpec {
  readonly name: string;
  readonly summary: string;
  /** Examples shown under --help. */
  readonly examples: readonly string[];
  readonly options: readonly OptionSpec[];
  /** The --format values it accepts, when not the shared text|latex|json. */
  readonly formats?: readonly Format[];
  run(input: string, options: OptionValues): Output;
}

/** A string option's value, or undefined (bare boolean flags are not strings). */
export const stringOption = (options: OptionValues, key: string): string | undefined => {
  const v = options[key];
  return typeof v === "string" ? v : undefined;
};

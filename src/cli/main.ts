/**
 * The `derive` command line. Every command takes an input (expression or program, `-` for
 * standard input, or --file PATH) and writes text, LaTeX or JSON. Errors: one readable message on
 * stderr starting `error:`, exit status 2, never a stack trace.
 */
import { Command, CommanderError, Option } from "commander";
import { readFileSync } from "node:fs";
import { DeriveError, guardDepth } from "../errors.js";
import { emit, FORMATS, readInput, reportError, type Format, type Io } from "./io.js";
import type { CommandSpec } from "./command.js";
import { COMMANDS } from "./commands/index.js";
import { addSheetCommand } from "./sheet.js";

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string };
  return pkg.version;
}

/** Parses the format flag strictly: an unknown format is an input error, not a fallback. */
function parseFormat(value: unknown, formats: readonly Format[] = FORMATS): Format {
  if (value === undefined) return "text";
  if (typeof value === "string" && (formats as readonly string[]).includes(value)) return value as Format;
  throw new DeriveError(`unknown format "${String(value)}"; expected one of ${formats.join(", ")}`);
}

function addCommand(root: Command, spec: CommandSpec, io: Io, setExit: (code: number) => void): void {
  const cmd = root
    .command(spec.name)
    .summary(spec.summary)
    .description(spec.summary)
    .argument("[input]", "expression or program; - reads standard input")
    .option("--file <path>", "read the input from a file")
    .addOption(new Option("--format <format>", "output format").choices([...(spec.formats ?? FORMATS)]).default("text"));
  for (const o of spec.options) cmd.option(o.flags, o.description, o.defaultValue);
  if (spec.examples.length > 0) cmd.addHelpText("after", `\nExamples:\n${spec.examples.map((e) => `  ${e}`).join("\n")}`);
  cmd.action((input: string | undefined, options: Record<string, string | boolean | undefined>) => {
    let format: Format = "text";
    try {
      format = parseFormat(options.format, spec.formats);
      const text = readInput(input, { file: typeof options.file === "string" ? options.file : undefined }, io);
      const output = guardDepth(spec.name, () => spec.run(text, options));
      emit(output, format, io);
      setExit(output.exitCode ?? 0);
    } catch (err) {
      setExit(reportError(err, format, io));
    }
  });
}

/**
 * Formulas often start with a minus (`-y*log(f) - …`), which commander would read as an option.
 * An argument that starts with "-" but has no option's shape (`-x`, `--name`, `--name=value`)
 * is an expression: a leading space makes commander see an operand; the parser skips the space.
 * A bare `-x` is still an option; write `-- -x` or `" -x"` for the expression.
 */
function protectExpressions(args: readonly string[]): string[] {
  return args.map((a) => (a.length > 1 && a.startsWith("-") && !/^--?[A-Za-z][\w-]*(=.*)?$/s.test(a) ? ` ${a}` : a));
}

/** Runs the CLI with the given arguments (without `node` and the script path); returns the exit code. */
export function run(args: readonly string[], io: Io): number {
  let exitCode = 0;
  const root = new Command("derive")
    .description("Symbolic differentiation for deep learning: derive gradients, write solution sheets, check derivations.")
    .version(version(), "-v, --version")
    .showSuggestionAfterError(true)
    .configureOutput({
      writeOut: (s) => io.stdout(s),
      writeErr: (s) => io.stderr(s),
    })
    .exitOverride();
  for (const spec of COMMANDS) addCommand(root, spec, io, (code) => (exitCode = code));
  addSheetCommand(root, io, (code) => (exitCode = code));
  try {
    root.parse(protectExpressions(args), { from: "user" });
  } catch (err) {
    if (err instanceof CommanderError) {
      // help and version are not errors; everything else commander rejects is a usage error
      if (err.code === "commander.helpDisplayed" || err.code === "commander.version") return 0;
      // `derive help [command]` asked for help; a bare `derive` is a usage error (help on stderr)
      if (err.code === "commander.help") return args.length === 0 ? 2 : 0;
      return 2;
    }
    return reportError(err, "text", io);
  }
  return exitCode;
}

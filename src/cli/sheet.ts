/** `derive sheet <file|dir> --out DIR`: builds solution and exercise sheets. */
import type { Command } from "commander";
import { DeriveError } from "../errors.js";
import { buildSheets, SHEET_FORMATS } from "../sheet/index.js";
import type { SheetFormat, SheetMode } from "../sheet/index.js";
import { reportError, type Io } from "./io.js";

export function addSheetCommand(root: Command, io: Io, setExit: (code: number) => void): void {
  root
    .command("sheet")
    .summary("build solution and exercise sheets from Markdown sources with derive chunks")
    .description("Build solution and exercise sheets from Markdown sources with ```derive chunks.")
    .argument("<path>", "a sheet (.md) or a folder of sheets")
    .option("--out <dir>", "output folder", "out")
    .option("--format <formats>", `output formats, comma-separated: ${SHEET_FORMATS.join(", ")}`, "html")
    .option("--solutions", "only the solution sheets")
    .option("--exercises", "only the exercise sheets")
    .addHelpText("after", "\nExamples:\n  derive sheet derivations --out out\n  derive sheet derivations/a-gradient-descent.md --exercises\n  derive sheet derivations --out out --format html,tex,md")
    .action((path: string, options: { out: string; format: string; solutions?: boolean; exercises?: boolean }) => {
      try {
        const formats: SheetFormat[] = [];
        for (const f of options.format.split(",").map((s) => s.trim())) {
          if (!(SHEET_FORMATS as readonly string[]).includes(f)) throw new DeriveError(`sheet format "${f}" is not available; available: ${SHEET_FORMATS.join(", ")}`);
          if (!formats.includes(f as SheetFormat)) formats.push(f as SheetFormat);
        }
        const modes: SheetMode[] = options.solutions && !options.exercises ? ["solutions"] : options.exercises && !options.solutions ? ["exercises"] : ["solutions", "exercises"];
        const result = buildSheets(path, { outDir: options.out, modes, formats, onProgress: (m) => io.stderr(`${m}\n`) });
        for (const e of result.errors) io.stderr(`error: ${e.sheet}${e.line ? `:${e.line}` : ""}: ${e.message}\n`);
        io.stdout(`Wrote ${result.written.length} file${result.written.length === 1 ? "" : "s"}:\n${result.written.map((f) => `  ${f}`).join("\n")}\n`);
        setExit(result.errors.length > 0 ? 2 : 0);
      } catch (err) {
        setExit(reportError(err, "text", io));
      }
    });
}

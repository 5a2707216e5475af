/**
 * Building sheets: each Markdown file under derivations/ becomes a solution sheet and an exercise
 * sheet. A chunk error is reported with the sheet and line, and the build goes on with the other
 * chunks and sheets; the caller decides the exit status from the errors returned.
 */
import { cpSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { basename, dirname, extname, join, relative, resolve } from "node:path";
import { createRequire } from "node:module";
import type { Token } from "markdown-it";
import { DeriveError } from "../errors.js";
import { chunkOf, exerciseTokens, isChunk, titleOf } from "./source.js";
import { runChunk, SheetScope } from "./chunk.js";
import { htmlMarkdown, page, renderBody } from "./html.js";
import { latexSheet } from "./latex.js";
import { markdownSheet } from "./markdown.js";
import { sceneToSvg } from "../plot/index.js";
import type { Block, SheetError, SheetFormat, SheetMode } from "./types.js";

export interface BuildOptions {
  readonly outDir: string;
  readonly modes: readonly SheetMode[];
  /** Output formats (default: html). Every format renders the same computed blocks. */
  readonly formats?: readonly SheetFormat[];
  /** Called once per sheet when it is done (progress on the terminal). */
  readonly onProgress?: (message: string) => void;
}

export interface BuildResult {
  readonly written: string[];
  readonly errors: SheetError[];
}

/** The sheet files a path names: the file itself, or the .md files of a folder (sorted). */
export function sheetFiles(path: string): string[] {
  let st;
  try {
    st = statSync(path);
  } catch {
    throw new DeriveError(`no such file or folder: ${path}`);
  }
  if (st.isFile()) return [path];
  return readdirSync(path)
    .filter((f) => extname(f) === ".md" && !f.startsWith("README"))
    .sort()
    .map((f) => join(path, f));
}

function copyKatexAssets(outDir: string): void {
  const require = createRequire(import.meta.url);
  const katexDist = dirname(require.resolve("katex/dist/katex.min.css"));
  const target = join(outDir, "assets", "katex");
  mkdirSync(target, { recursive: true });
  cpSync(join(katexDist, "katex.min.css"), join(target, "katex.min.css"));
  cpSync(join(katexDist, "fonts"), join(target, "fonts"), { recursive: true });
}

/**
 * The sheet's figures as SVG files beside its Markdown (`<sheet>-fig1.svg`, … in the order they
 * appear), for the Markdown to link; returns each figure's file name.
 */
function writeFigures(name: string, outDir: string, tokens: readonly Token[], blocks: ReadonlyMap<Token, readonly Block[]>, written: string[]): Map<Block, string> {
  const files = new Map<Block, string>();
  for (const t of tokens) {
    for (const b of blocks.get(t) ?? []) {
      if (b.kind !== "figure") continue;
      const file = `${name}-fig${files.size + 1}.svg`;
      writeFileSync(join(outDir, file), `<?xml version="1.0" encoding="UTF-8"?>\n${sceneToSvg(b.scene)}\n`);
      written.push(join(outDir, file));
      files.set(b, file);
    }
  }
  return files;
}

/** Runs every chunk of a sheet in order; returns the blocks of each chunk token. */
function runSheet(sheet: string, tokens: Token[], errors: SheetError[]): Map<Token, Block[]> {
  const scope = new SheetScope();
  const results = new Map<Token, Block[]>();
  for (const t of tokens) {
    if (!isChunk(t)) continue;
    try {
      const { blocks, errors: chunkErrors } = runChunk(chunkOf(t), scope);
      results.set(t, blocks);
      for (const e of chunkErrors) errors.push({ sheet, line: e.line, message: e.message });
    } catch (err) {
      if (!(err instanceof DeriveError)) throw err;
      const line = t.map![0] + 1;
      results.set(t, [{ kind: "error", message: err.message }]);
      errors.push({ sheet, line, message: err.message });
    }
  }
  return results;
}

export function buildSheet(path: string, options: BuildOptions): BuildResult {
  const started = Date.now();
  const sheet = relative(process.cwd(), resolve(path)) || path;
  const source = readFileSync(path, "utf8");
  const errors: SheetError[] = [];
  // KaTeX checks all math (the author's and the chunks'); each problem is reported once, however
  // many pages show it
  const mathErrors = new Set<string>();
  const onMathError = (message: string): void => {
    if (mathErrors.has(message)) return;
    mathErrors.add(message);
    errors.push({ sheet, line: 0, message });
  };
  const md = htmlMarkdown(onMathError);
  const tokens = md.parse(source, {});
  const blocks = runSheet(sheet, tokens, errors);
  const title = titleOf(tokens, basename(path, ".md"));
  const formats = options.formats ?? ["html"];
  // without an HTML page, KaTeX still checks the math of the solution sheet (which holds all of it)
  if (!formats.includes("html")) renderBody(md, tokens, blocks, onMathError);
  mkdirSync(options.outDir, { recursive: true });
  const written: string[] = [];
  const figures = formats.includes("md") ? writeFigures(basename(path, ".md"), options.outDir, tokens, blocks, written) : undefined;
  for (const mode of options.modes) {
    const shown = mode === "solutions" ? tokens : exerciseTokens(tokens);
    const subtitle = mode === "solutions" ? "Solution sheet" : "Exercise sheet";
    for (const format of formats) {
      const file = join(options.outDir, `${basename(path, ".md")}${mode === "exercises" ? ".exercises" : ""}.${format}`);
      if (resolve(file) === resolve(path)) {
        // --format md with --out the sheets' own folder
        errors.push({ sheet, line: 0, message: `not writing ${file}: it is the sheet itself (choose another --out)` });
        continue;
      }
      switch (format) {
        case "html":
          writeFileSync(file, page(title, renderBody(md, shown, blocks, onMathError), "assets", subtitle));
          break;
        case "md":
          writeFileSync(file, markdownSheet(source, tokens, blocks, mode, figures));
          break;
        case "tex":
          writeFileSync(file, latexSheet(title, shown, blocks, subtitle));
          break;
      }
      written.push(file);
    }
  }
  const n = blocks.size;
  options.onProgress?.(`${sheet}: ${n} chunk${n === 1 ? "" : "s"}, ${errors.length} error${errors.length === 1 ? "" : "s"} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  return { written, errors };
}

/** Builds every sheet a path names, continuing past errors. */
export function buildSheets(path: string, options: BuildOptions): BuildResult {
  const files = sheetFiles(path);
  if (files.length === 0) throw new DeriveError(`no sheets (.md files) in ${path}`);
  mkdirSync(options.outDir, { recursive: true });
  if ((options.formats ?? ["html"]).includes("html")) copyKatexAssets(options.outDir);
  const written: string[] = [];
  const errors: SheetError[] = [];
  for (const f of files) {
    const r = buildSheet(f, options);
    written.push(...r.written);
    errors.push(...r.errors);
  }
  return { written, errors };
}

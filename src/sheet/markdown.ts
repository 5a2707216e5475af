/**
 * The Markdown writer: the sheet's own source, line for line, with each ```derive chunk replaced by
 * what it computed (math as `$$ … $$`, echoed source as a fenced code block, errors as a
 * blockquote). The exercise sheet also leaves out `::: solution` blocks and solution chunks.
 * Lines are spliced using markdown-it's token line ranges (`map`), so the author's Markdown is
 * never re-rendered.
 */
import type { Token } from "markdown-it";
import { isChunk, isSolutionChunk } from "./source.js";
import type { Block, CheckBlock, SheetMode } from "./types.js";
import { checkSummary } from "./check.js";
import { sceneToSvg } from "../plot/index.js";

/** Backslash-escapes the characters that would make an error message Markdown markup. */
const escapeMarkdown = (s: string): string => s.replace(/[\\`*_[\]{}<>#|!$~]/g, "\\$&");

/** A fence longer than any backtick run in `text`, so the text cannot close it. */
function fenceFor(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((r) => r.length));
  return "`".repeat(Math.max(3, longest + 1));
}

/** A code span that `text` cannot close: delimited by more backticks than its longest run. */
function codeSpan(text: string): string {
  const ticks = "`".repeat(Math.max(1, ...(text.match(/`+/g) ?? []).map((r) => r.length + 1)));
  return `${ticks} ${text.replace(/\n/g, " ")} ${ticks}`;
}

/** A checked claim as a blockquote: the verdict in bold, the claim as code, the details (escaped). */
function markdownCheck(block: CheckBlock): string {
  const { headline, details } = checkSummary(block);
  return [`> **${escapeMarkdown(headline)}:** ${codeSpan(block.report.claim)}`, ...details.map((d) => `> ${escapeMarkdown(d)}`)].join("\\\n");
}

/**
 * The Markdown of one computed block. A figure is an image link to `figures.get(block)` (an SVG file
 * the build writes beside the Markdown, since GitHub strips inline SVG); without a file name, the
 * SVG itself, which Markdown renderers that allow HTML show in place.
 */
export function markdownBlock(block: Block, figures?: ReadonlyMap<Block, string>): string {
  switch (block.kind) {
    case "math":
      // a blank line would end the display math, so none inside
      return `$$\n${block.latex.split("\n").filter((l) => l.trim() !== "").join("\n")}\n$$`;
    case "source": {
      const fence = fenceFor(block.text);
      return `${fence}\n${block.text}\n${fence}`;
    }
    case "error":
      return block.message
        .split("\n")
        .map((l, i) => `> ${i === 0 ? "**error:** " : ""}${escapeMarkdown(l)}`)
        .join("\n");
    case "check":
      return markdownCheck(block);
    case "figure": {
      const file = figures?.get(block);
      if (file === undefined) return sceneToSvg(block.scene);
      // the title as alt text, with the characters that would end it escaped; the file name is ours
      return `![${escapeMarkdown(block.scene.title)}](${encodeURI(file)})`;
    }
  }
}

interface Splice {
  readonly start: number;
  readonly end: number;
  readonly lines: string[];
}

/**
 * The Markdown sheet: `source` as parsed into `tokens` (all of them, as markdown-it returned them),
 * chunks replaced by their blocks; in the exercise sheet, solutions removed.
 */
export function markdownSheet(
  source: string,
  tokens: readonly Token[],
  chunkBlocks: ReadonlyMap<Token, readonly Block[]>,
  mode: SheetMode,
  figures?: ReadonlyMap<Block, string>,
): string {
  const lines = source.replace(/\r\n?/g, "\n").split("\n");
  const splices: Splice[] = [];
  let depth = 0;
  for (const t of tokens) {
    if (t.type === "container_solution_open") {
      if (depth === 0 && mode === "exercises" && t.map) {
        // the container's map ends before its closing `:::` line
        const end = /^\s*:{3,}\s*$/.test(lines[t.map[1]] ?? "") ? t.map[1] + 1 : t.map[1];
        splices.push({ start: t.map[0], end, lines: [] });
      }
      depth++;
      continue;
    }
    if (t.type === "container_solution_close") {
      depth--;
      continue;
    }
    if (!isChunk(t) || !t.map) continue;
    if (mode === "exercises" && depth > 0) continue; // inside a removed solution
    if (mode === "exercises" && isSolutionChunk(t)) {
      splices.push({ start: t.map[0], end: t.map[1], lines: [] });
      continue;
    }
    // keep the fence's indentation or blockquote marks ("  ", "> ") on every output line
    const prefix = (/^([\s>]*)/.exec(lines[t.map[0]] ?? "")?.[1] ?? "").replace(/[^\s>]/g, " ");
    const blocks = chunkBlocks.get(t) ?? [];
    const text = blocks.map((b) => markdownBlock(b, figures)).join("\n\n");
    splices.push({ start: t.map[0], end: t.map[1], lines: text === "" ? [] : text.split("\n").map((l) => (l === "" ? prefix.trimEnd() : prefix + l)) });
  }
  const out: string[] = [];
  let at = 0;
  for (const s of splices.sort((a, b) => a.start - b.start)) {
    if (s.start < at) continue;
    out.push(...lines.slice(at, s.start), ...s.lines);
    at = s.end;
    // a removed block leaves one blank line, not two
    if (s.lines.length === 0 && (out.length === 0 || out[out.length - 1]!.trim() === "") && lines[at]?.trim() === "") at++;
  }
  out.push(...lines.slice(at));
  return out.join("\n");
}

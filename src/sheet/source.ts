/** Reading a sheet: Markdown parsed by markdown-it, with its ```derive chunks picked out. */
import MarkdownIt from "markdown-it";
import type { MarkdownIt as MarkdownItInstance, Token } from "markdown-it";
import container from "markdown-it-container";

import { DeriveError } from "../errors.js";
import type { Chunk, ChunkOptions } from "./types.js";

/** The markdown-it instance that reads sheets (math is added by the HTML writer). */
export function sheetMarkdown(): MarkdownItInstance {
  // html: false: author text is text, never raw HTML in the page
  return new MarkdownIt({ html: false, linkify: false, typographer: true }).use(container, "solution");
}

const isChunk = (t: Token): boolean => t.type === "fence" && t.info.trim().split(/\s+/)[0] === "derive";

function parseOptions(lines: string[], line: number): { options: ChunkOptions; rest: string[]; skipped: number } {
  const options = { echo: true, solution: false };
  let i = 0;
  for (; i < lines.length && lines[i]!.startsWith("#|"); i++) {
    const m = /^#\|\s*(\w+)\s*:\s*(true|false)\s*$/.exec(lines[i]!);
    if (!m || !(m[1]! in options)) {
      throw new DeriveError(`line ${line + i + 1}: chunk options are "#| echo: true|false" and "#| solution: true|false", got "${lines[i]}"`);
    }
    options[m[1] as keyof ChunkOptions] = m[2] === "true";
  }
  return { options, rest: lines.slice(i), skipped: i };
}

/** The chunk a fence token holds. */
export function chunkOf(token: Token): Chunk {
  const fenceLine = token.map![0] + 1;
  const lines = token.content.replace(/\n$/, "").split("\n");
  const { options, rest, skipped } = parseOptions(lines, fenceLine);
  return { line: fenceLine, options, source: rest.join("\n"), firstSourceLine: fenceLine + 1 + skipped };
}

export { isChunk };

/** The first level-1 heading, for the page title. */
export function titleOf(tokens: readonly Token[], fallback: string): string {
  const i = tokens.findIndex((t) => t.type === "heading_open" && t.tag === "h1");
  return i >= 0 && tokens[i + 1] ? tokens[i + 1]!.content : fallback;
}

/**
 * Whether a chunk belongs to the solution sheet only. A chunk whose options do not parse is not:
 * its error (reported when the chunk runs) shows in both sheets, and the build goes on.
 */
export function isSolutionChunk(token: Token): boolean {
  if (!isChunk(token)) return false;
  try {
    return chunkOf(token).options.solution;
  } catch (err) {
    if (err instanceof DeriveError) return false;
    throw err;
  }
}

/** Removes what the exercise sheet must not show: `::: solution` blocks and solution chunks. */
export function exerciseTokens(tokens: readonly Token[]): Token[] {
  const out: Token[] = [];
  let depth = 0;
  for (const t of tokens) {
    if (t.type === "container_solution_open") depth++;
    if (depth === 0 && !isSolutionChunk(t)) out.push(t);
    if (t.type === "container_solution_close") depth--;
  }
  return out;
}

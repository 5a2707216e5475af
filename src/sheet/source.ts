/** Reading a sheet: Markdown parsed by markdown-it, with its ```derive chunks picked out. */
import MarkdownIt from "markdown-it";
import type { MarkdownIt as MarkdownItInstance, Token } from "markdown-it";
import container from "markdown-it-container";

import { DeriveError } from "../errors.js";
import type { Chunk, ChunkOptions } from "./types.js";
import type { Verdict } from "../verify/index.js";

/** The markdown-it instance that reads sheets (math is added by the HTML writer). */
export function sheetMarkdown(): MarkdownItInstance {
  // html: false: author text is text, never raw HTML in the page
  // typographer for quotes and dashes, but not its replacements: exercise parts (a), (b), (c) must
  // not become ©
  return new MarkdownIt({ html: false, linkify: false, typographer: true }).disable("replacements").use(container, "solution");
}

const isChunk = (t: Token): boolean => t.type === "fence" && t.info.trim().split(/\s+/)[0] === "derive";

const VERDICTS: readonly Verdict[] = ["valid", "invalid", "unknown"];

/** One `#| name: value` option into `options`; a DeriveError naming the line when it is not one. */
function setOption(options: { echo: boolean; solution: boolean; expect: Verdict }, text: string, line: number): void {
  const m = /^#\|\s*(\w+)\s*:\s*(\S+)\s*$/.exec(text);
  const key = m?.[1];
  const value = m?.[2] ?? "";
  if ((key === "echo" || key === "solution") && (value === "true" || value === "false")) options[key] = value === "true";
  else if (key === "expect" && (VERDICTS as readonly string[]).includes(value)) options.expect = value as Verdict;
  else {
    throw new DeriveError(
      `line ${line}: chunk options are "#| echo: true|false", "#| solution: true|false" and "#| expect: valid|invalid|unknown", got "${text}"`,
    );
  }
}

function parseOptions(lines: string[], line: number): { options: ChunkOptions; rest: string[]; skipped: number } {
  const options = { echo: true, solution: false, expect: "valid" as Verdict };
  let i = 0;
  for (; i < lines.length && lines[i]!.startsWith("#|"); i++) setOption(options, lines[i]!, line + i + 1);
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

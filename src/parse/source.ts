/** Source excerpts for error messages: the offending line and a caret line under the offending text. */
import type { SourcePosition } from "../errors.js";

/** Longest excerpt of a line shown in an error, in code points. */
const WINDOW = 100;
const LINE_BREAK = /\r\n|\r|\n|\u2028|\u2029/u;

/**
 * The line holding `offset` and a caret line marking `width` code points from `position.column`.
 * Tabs in the line are kept in the caret line so the caret stays aligned; a very long line is
 * cut to a window around the caret, marked with "…".
 */
export function sourceDetail(text: string, offset: number, position: SourcePosition, width: number): string {
  let start = offset;
  while (start > 0 && !isBreak(text.charCodeAt(start - 1))) start--;
  let end = offset;
  while (end < text.length && !isBreak(text.charCodeAt(end))) end++;
  let chars = Array.from(text.slice(start, end));
  let caretAt = position.column - 1;
  let span = Math.max(1, width);
  let prefix = "";
  let suffix = "";
  if (chars.length > WINDOW) {
    const from = Math.max(0, Math.min(caretAt - 40, chars.length - WINDOW));
    const to = Math.min(chars.length, from + WINDOW);
    if (from > 0) prefix = "…";
    if (to < chars.length) suffix = "…";
    chars = chars.slice(from, to);
    caretAt = caretAt - from + prefix.length;
  }
  const shown = [...(prefix ? [prefix] : []), ...chars];
  span = Math.max(1, Math.min(span, shown.length - caretAt));
  let pad = "";
  for (let i = 0; i < caretAt; i++) pad += shown[i] === "\t" ? "\t" : " ";
  const lineText = shown.join("") + suffix;
  return `${lineText.replace(LINE_BREAK, "")}\n${pad}${"^".repeat(span)}`;
}

function isBreak(c: number): boolean {
  return c === 10 || c === 13 || c === 0x2028 || c === 0x2029;
}

/**
 * Whole documents: the display math of a Markdown file (`$$…$$`, `\[…\]`, equation/align
 * environments, and inline `$…$` that contains `=` or `\approx`) or a LaTeX file. Prose, inline
 * math without an equation, and code (fenced or inline) are skipped. Each block is
 * cut into rows at `\\` (alignment `&` dropped, `\quad` annotations and final punctuation cut off;
 * a claim after `\quad` that does not start with `\text` is a row of its own);
 * a row is a chain of sides separated by `=` (or `\approx`), and a row starting with `=`
 * continues the chain of the row before it. Rows keep the file line where they start.
 */
export interface Row {
  /** The sides of the row (the first is empty when the row continues the previous one). */
  readonly sides: readonly string[];
  /** 1-based line in the file. */
  readonly line: number;
}

export interface Block {
  readonly rows: readonly Row[];
}

/** Replaces a range by spaces, keeping line breaks (so offsets and lines stay right). */
const blank = (s: string): string => s.replace(/[^\n]/g, " ");

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

const MATRIX_ENV = /^\\(begin|end)\{(?:p|b|B|small)?matrix\}/;

/** Replaces the alignment marks & outside matrix environments by spaces. */
function dropAlignment(text: string): string {
  let depth = 0;
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const env = MATRIX_ENV.exec(text.slice(i, i + 24));
    if (env) {
      depth += env[1] === "begin" ? 1 : -1;
      out += env[0];
      i += env[0].length - 1;
      continue;
    }
    out += text[i] === "&" && depth <= 0 && text[i - 1] !== "\\" ? " " : text[i];
  }
  return out;
}

/** Splits at a separator outside braces, brackets, parentheses and matrix environments. */
function splitTop(text: string, separator: RegExp): Array<{ text: string; offset: number }> {
  const out: Array<{ text: string; offset: number }> = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "\\" && (text[i + 1] === "{" || text[i + 1] === "}")) {
      i++;
      continue;
    }
    // a matrix environment is one bracket: its \\ and & belong to it
    const env = MATRIX_ENV.exec(text.slice(i, i + 24));
    if (env) {
      depth = env[1] === "begin" ? depth + 1 : Math.max(0, depth - 1);
      i += env[0].length - 1;
      continue;
    }
    if (c === "{" || c === "(" || c === "[") depth++;
    else if (c === "}" || c === ")" || c === "]") depth = Math.max(0, depth - 1);
    else if (depth === 0) {
      separator.lastIndex = i;
      const m = separator.exec(text);
      if (m && m.index === i) {
        out.push({ text: text.slice(start, i), offset: start });
        start = i + m[0].length;
        i = start - 1;
      }
    }
  }
  out.push({ text: text.slice(start), offset: start });
  return out;
}

/** Rows of one block of display math starting at `offset` in `file`. */
export function blockRows(content: string, offset: number, file: string, rowBreak: RegExp = /\\\\|\n\s*\n/y): Row[] {
  const cleaned = content
    .replace(/\\(begin|end)\{(aligned|align\*?|split|gathered|gather\*?|equation\*?|multline\*?|alignat\*?)\}(\{\d+\})?/g, blank)
    .replace(/\\(label|tag)\{[^}]*\}|\\(nonumber|notag)\b/g, blank)
    .replace(/\\\\\[[^\]]*\]/g, (m) => "\\\\" + blank(m.slice(2)));
  const rows: Row[] = [];
  for (const part of splitTop(cleaned, rowBreak)) {
    // after \quad: an annotation ("\quad \text{(chain rule)}"), or a second claim on the same line
    // ("a = 1, \qquad b = 2"), which becomes a row of its own
    for (const piece of splitTop(dropAlignment(part.text), /\\q?quad(?![a-zA-Z])/y)) {
      const first = piece.offset === 0;
      if (!first && (/^[\s,;]*\\(text|mbox|textrm)\b/.test(piece.text) || !/=|\\approx(?![a-zA-Z])/.test(piece.text))) continue;
      const text = piece.text.replace(/\\text\{[^}]*\}\s*$/, "").replace(/[.,;]\s*$/, "");
      if (text.trim() === "") continue;
      const lead = text.length - text.trimStart().length;
      const line = lineAt(file, offset + part.offset + piece.offset + lead);
      const sides = splitTop(text, /=|\\approx(?![a-zA-Z])/y).map((s) => s.text);
      rows.push({ sides, line });
    }
  }
  return rows;
}

/** The display-math blocks of a Markdown or LaTeX document. */
export function documentBlocks(file: string, kind: "markdown" | "tex"): Block[] {
  let text = file;
  if (kind === "markdown") {
    // fenced code is not math
    text = text.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, blank);
  } else {
    text = text.replace(/(?<!\\)%[^\n]*/g, blank);
  }
  const found: Array<{ offset: number; content: string }> = [];
  const display = /\$\$([\s\S]*?)\$\$|\\\[([\s\S]*?)\\\]|\\begin\{(equation|align|gather|multline|alignat)(\*?)\}([\s\S]*?)\\end\{\3\4\}/g;
  for (const m of text.matchAll(display)) {
    const content = m[1] ?? m[2] ?? m[5] ?? "";
    const inner = m[0].indexOf(content, m[1] !== undefined || m[2] !== undefined ? 2 : 0);
    found.push({ offset: m.index + inner, content });
    text = text.slice(0, m.index) + blank(m[0]) + text.slice(m.index + m[0].length);
  }
  if (kind === "markdown") {
    // inline math in prose that states an equation ($\sigma(0.38) = 0.41$); other inline math is left alone
    text = text.replace(/`[^`\n]*`/g, blank);
    for (const m of text.matchAll(/(?<![\\$])\$(?!\$)([^$\n]+?)(?<!\\)\$(?!\$)/g)) {
      if (!/=|\\approx(?![a-zA-Z])/.test(m[1]!)) continue;
      found.push({ offset: m.index + 1, content: m[1]! });
    }
  }
  found.sort((a, b) => a.offset - b.offset);
  return found.map(({ offset, content }) => ({ rows: blockRows(content, offset, file) }));
}

/** LaTeX claims given directly (not a document): every line and `\\` separates rows. */
export function latexLines(input: string): Block[] {
  return [{ rows: blockRows(input, 0, input, /\\\\|\n/y) }];
}

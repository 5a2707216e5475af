/**
 * Tokens. The whole input is lexed once with moo; positions (line, column in code points) are
 * computed incrementally here, and `splitStatements` (statements.ts) cuts the token list into
 * statements that are parsed one at a time. The grammar sees tokens through `TokenStream`, a
 * nearley lexer that replays a prepared token array.
 */
import moo from "moo";
import type { Lexer as NearleyLexer } from "nearley";
import { DeriveError } from "../errors.js";
import { sourceDetail } from "./source.js";
import { bigSumParts, BigSumError } from "./syntax.js";

export type TokenType =
  | "number"
  /** The summation operator with its index and bounds: `Σ_{i=1}^{n}`, `∑_{i=1}^3`, `∑_i`. */
  | "bigsum"
  | "name"
  /** A name directly followed by "(": a function application or a function definition. */
  | "fname"
  /** `d/dx` directly followed by "(": the derivative operator d/dx(u). */
  | "deriv"
  | "sup"
  /** Transpose: a postfix `'` (or `′`) or the superscript `ᵀ`. */
  | "transpose"
  /** The elementwise (Hadamard) product `⊙` (also `.*` and `∘`). */
  | "hadamard"
  /** `||` or `‖`, around a norm `||v||`. */
  | "norm"
  /** `:` in a declaration `W: matrix(2, 3)`. */
  | "colon"
  | "plus"
  | "minus"
  | "times"
  | "divide"
  | "power"
  | "lparen"
  | "rparen"
  | "lbracket"
  | "rbracket"
  | "comma"
  | "equals"
  | "semicolon"
  | "newline"
  | "ws"
  | "comment";

export interface Token {
  readonly type: TokenType;
  /** The token's text as typed; nearley matches on `type`, never on text. */
  readonly text: string;
  readonly value: string;
  /** Offset in the input, in UTF-16 code units (for slicing). */
  readonly offset: number;
  /** 1-based line. */
  readonly line: number;
  /** 1-based column, counted in code points. */
  readonly column: number;
  /** Length in code points (at least 1 for the caret). */
  readonly width: number;
}

// Pieces of the summation operator: a braced part `{i=1}`, `{n}` (one line), a subscript run
// `_i`, and an unbraced upper bound `^10`, `^n`, `^n_1` (digits, or a name: `^3x` is 3 then x).
const BRACED = String.raw`\{[^{}\r\n\u2028\u2029]*\}`;
const UPPER = String.raw`\^(?:${BRACED}|\d+|\p{L}[\p{L}\p{M}\p{Nd}]*(?:_[\p{L}\p{M}\p{Nd}]+)*)?`;
/**
 * `∑` (U+2211, never a letter) with an optional subscript `_{i=1}`, `_{i}`, `_i` and upper bound;
 * `Σ` (U+03A3, also a name: `Σ: matrix`, `Σ_i`) only with `=` inside braces: `Σ_{i=1}^{n}`. The
 * parts are checked when the token is made (a missing bound after `^` is an error at the token).
 */
const BIGSUM = new RegExp(
  String.raw`\u2211(?:_(?:${BRACED}|[\p{L}\p{M}\p{Nd}_]+)?)?(?:${UPPER})?|\u03a3_\{[^{}\r\n\u2028\u2029]*=[^{}\r\n\u2028\u2029]*\}(?:${UPPER})?`,
  "u",
);

// Every rule needs the u flag (moo insists on all or none); \d stays ASCII under /u.
const rules = {
  ws: /[ \t\f\v\u00a0\u1680\u2000-\u200b\u202f\u205f\u3000\ufeff]+/u,
  newline: { match: /\r\n|\r|\n|\u2028|\u2029/u, lineBreaks: true },
  comment: /#[^\r\n\u2028\u2029]*/u,
  // before `name`: Σ_{i=1}^{n} is the operator, Σ and Σ_i stay names
  bigsum: BIGSUM,
  // d/dx(u), d/dw_12(u): the derivative operator, only when "(" follows at once (before `name`)
  deriv: /d\/d(?:\p{L}|_+[\p{L}\p{Nd}])[\p{L}\p{M}\p{Nd}]*(?:_(?:\{[^{}\r\n\u2028\u2029]*\}|[\p{L}\p{M}\p{Nd}]*))*(?=\()/u,
  hadamard: /\u2299|\.\*|\u2218/u,
  number: /(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/u,
  // a letter, letters/marks/digits, then subscripts _word or _{…}; or a name starting with
  // underscores such as __proto__ (canonicalName checks the details and explains mistakes).
  // ᵀ (U+1D40) is a letter to Unicode but the transpose to us: Wᵀ is W transposed.
  name: /(?:(?!\u1d40)\p{L}|_+[\p{L}\p{Nd}])(?:(?!\u1d40)[\p{L}\p{M}\p{Nd}])*(?:_(?:\{[^{}\r\n\u2028\u2029]*\}|(?:(?!\u1d40)[\p{L}\p{M}\p{Nd}])*))*/u,
  sup: /\u207b?[\u2070\u00b9\u00b2\u00b3\u2074-\u2079]+/u,
  transpose: /['\u2032\u1d40]/u,
  norm: /\|\||\u2016/u,
  colon: /:/u,
  power: /\*\*|\^/u,
  times: /[*\u00b7\u00d7\u22c5\u2219]/u,
  divide: /[/\u00f7]/u,
  plus: /\+/u,
  minus: /[-\u2212\u2013]/u,
  lparen: /\(/u,
  rparen: /\)/u,
  lbracket: /\[/u,
  rbracket: /\]/u,
  comma: /,/u,
  equals: /=/u,
  semicolon: /;/u,
  error: moo.error,
};

const mooLexer = moo.compile(rules);

/** Code points in `text` (fast path for text without surrogate pairs). */
export function codePointLength(text: string): number {
  let n = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      n--;
      i++;
    }
  }
  return n;
}

/** Lexes the whole input; throws a DeriveError at the first character that starts no token. */
export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  mooLexer.reset(text);
  let line = 1;
  let column = 1;
  for (;;) {
    const t = mooLexer.next();
    if (!t) break;
    const type = t.type as TokenType | "error";
    if (type === "error") {
      const ch = String.fromCodePoint(t.text.codePointAt(0)!);
      const position = { line, column };
      throw new DeriveError(
        `line ${line}, column ${column}: unexpected character ${JSON.stringify(ch)}${characterHint(ch)}`,
        position,
        sourceDetail(text, t.offset, position, 1),
      );
    }
    const width = codePointLength(t.text);
    if (type === "bigsum") checkBigSum(text, t.text, t.offset, line, column, width);
    out.push({ type, text: t.text, value: t.text, offset: t.offset, line, column, width: Math.max(1, width) });
    if (type === "newline") {
      line++;
      column = 1;
    } else column += width;
  }
  return out;
}

/**
 * A malformed summation operator (`Σ_{ij=1}^{n}`, `Σ_{i=1}^ x`) is reported at its token here,
 * where the source is at hand; the grammar's constructor (syntax.ts) reads the same parts.
 */
function checkBigSum(text: string, tokenText: string, offset: number, line: number, column: number, width: number): void {
  try {
    bigSumParts(tokenText);
  } catch (err) {
    if (!(err instanceof BigSumError)) throw err;
    const position = { line, column };
    throw new DeriveError(`line ${line}, column ${column}: ${err.message}`, position, sourceDetail(text, offset, position, width));
  }
}

function characterHint(ch: string): string {
  if (ch === "_") return " (a subscript follows a name: x_1, w_{12}, f_out)";
  if (ch === "{" || ch === "}") return ' (use "(" and ")" for grouping)';
  if (ch === "!") return " (factorials are not supported)";
  if (ch === "|") return " (a norm is written ||v|| or norm(v); an absolute value abs(x))";
  return "";
}

/**
 * A nearley lexer over an already lexed token array (one statement). nearley only calls
 * `reset`, `next` and `save`; `has` tells the compiled grammar which token types exist.
 */
export class TokenStream implements NearleyLexer {
  private index = 0;
  constructor(private readonly tokens: readonly Token[]) {}
  reset(): void {
    this.index = 0;
  }
  next(): Token | undefined {
    return this.tokens[this.index++];
  }
  save(): { index: number } {
    return { index: this.index };
  }
  formatError(token: Token, message = "syntax error"): string {
    return `${message} at line ${token.line}, column ${token.column}`;
  }
  has(type: string): boolean {
    return Object.prototype.hasOwnProperty.call(rules, type) || type === "fname";
  }
}

/** The lexer the compiled grammar refers to (for `%type` symbols); parsers get their own stream. */
export const lexer = new TokenStream([]);

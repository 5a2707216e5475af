/**
 * Tokens of LaTeX math as students write it. moo cuts the text; a second pass normalises what
 * LaTeX allows many ways (`\left(` is `(`, `\cdot` and `\times` are products, `\dfrac` is
 * `\frac`), turns letters and commands into names and functions, and packs the derivative
 * notations (`\frac{d}{dx}`, `\frac{\partial L}{\partial w_3}`) and sums (`\sum_{i=1}^{n}`) into
 * single tokens the grammar (grammar/latex.ne) treats as operators.
 */
import moo from "moo";
import type { Lexer as NearleyLexer } from "nearley";
import { DeriveError } from "../../errors.js";
import { Unsupported } from "../types.js";

export type LatexTokenType =
  | "number" | "name" | "func" | "frac" | "sqrt" | "dop" | "leib" | "sumop"
  | "plus" | "minus" | "mul" | "slash" | "caret" | "underscore" | "prime"
  | "lparen" | "rparen" | "lbrack" | "rbrack" | "lbrace" | "rbrace" | "bar" | "comma" | "top";

export interface LatexToken {
  readonly type: LatexTokenType;
  /** For names: the canonical spelling of the letter or word; functions: the registry name. */
  readonly value: string;
  readonly offset: number;
  readonly text: string;
  /** dop/leib: the tokens of the numerator (after the d or ∂) and of the variable. sumop: bounds. */
  readonly parts?: { readonly numerator?: LatexToken[]; readonly wrt?: LatexToken[]; readonly index?: string; readonly lo?: LatexToken[]; readonly hi?: LatexToken[] };
}

const raw = moo.compile({
  ws: { match: /\s+/, lineBreaks: true },
  space: /\\[,;:! ]/,
  rowbreak: /\\\\/,
  brace: /\\[{}]/,
  command: /\\[a-zA-Z]+/,
  number: /\d+(?:\.\d+)?|\.\d+/,
  letters: /[a-zA-Z]+/,
  other: /[^\x00-\x7F]/,
  symbol: /[+\-*/^_{}()[\],'|&=.;:!<>]/,
});

/** Letter runs that are functions when written without a backslash. */
const WORD_FUNCTIONS: ReadonlyMap<string, string> = new Map([
  ["sigmoid", "sigmoid"], ["relu", "relu"], ["ReLU", "relu"], ["softplus", "softplus"], ["log", "log"], ["ln", "log"],
  ["exp", "exp"], ["tanh", "tanh"], ["sin", "sin"], ["cos", "cos"], ["tan", "tan"], ["sinh", "sinh"], ["cosh", "cosh"],
  ["sign", "sign"], ["step", "step"], ["abs", "abs"],
]);

const COMMAND_FUNCTIONS: ReadonlyMap<string, string> = new Map([
  ["log", "log"], ["ln", "log"], ["exp", "exp"], ["tanh", "tanh"], ["sin", "sin"], ["cos", "cos"], ["tan", "tan"],
  ["sinh", "sinh"], ["cosh", "cosh"], ["sgn", "sign"],
]);

const GREEK = new Set([
  "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa", "lambda", "mu", "nu", "xi",
  "pi", "rho", "sigma", "tau", "upsilon", "phi", "chi", "psi", "omega", "Gamma", "Delta", "Theta", "Lambda", "Xi", "Pi",
  "Sigma", "Upsilon", "Phi", "Psi", "Omega",
]);
const GREEK_VARIANTS: ReadonlyMap<string, string> = new Map([["varepsilon", "epsilon"], ["varphi", "phi"], ["vartheta", "theta"], ["varrho", "rho"], ["varsigma", "sigma"]]);

/** Commands that only change sizes or spacing. */
const IGNORED = new Set([
  "left", "right", "big", "Big", "bigg", "Bigg", "bigl", "bigr", "Bigl", "Bigr", "biggl", "biggr", "Biggl", "Biggr",
  "displaystyle", "textstyle", "limits", "nolimits", "quad", "qquad", "middle",
]);

const MATRIX = new Set(["mathbf", "boldsymbol", "bm", "vec", "begin", "end", "nabla", "odot", "otimes", "circ", "Vert", "lVert", "rVert", "|"]);

interface Raw {
  type: string;
  value: string;
  offset: number;
  text: string;
}

function error(message: string, offset: number): DeriveError {
  return new DeriveError(`${message} (at character ${offset + 1})`);
}

/** The braced group starting at tokens[i] (a "{"): its inner raw tokens and the index after it. */
function braced(tokens: Raw[], i: number): [Raw[], number] {
  if (tokens[i]?.value !== "{") throw error(`expected "{" after ${tokens[i - 1]?.text ?? "a command"}`, tokens[i]?.offset ?? 0);
  let depth = 0;
  for (let j = i; j < tokens.length; j++) {
    if (tokens[j]!.value === "{") depth++;
    else if (tokens[j]!.value === "}" && --depth === 0) return [tokens.slice(i + 1, j), j + 1];
  }
  throw error(`"{" without a matching "}"`, tokens[i]!.offset);
}

const plainText = (tokens: Raw[]): string => tokens.map((t) => t.text).join("").replace(/\s+/g, "");

function tok(type: LatexTokenType, value: string, r: Raw, parts?: LatexToken["parts"]): LatexToken {
  return parts ? { type, value, offset: r.offset, text: r.text, parts } : { type, value, offset: r.offset, text: r.text };
}

/** Tokens of one side of a claim. */
export function tokenize(text: string): LatexToken[] {
  const rawTokens: Raw[] = [];
  raw.reset(text);
  try {
    for (const t of raw) {
      if (t.type === "ws" || t.type === "space") continue;
      rawTokens.push({ type: t.type!, value: t.value, offset: t.offset, text: t.text });
    }
  } catch (err) {
    throw new DeriveError(`cannot read the LaTeX: ${err instanceof Error ? err.message.split("\n")[0] : String(err)}`);
  }
  return normalise(rawTokens);
}

function normalise(r: Raw[]): LatexToken[] {
  const out: LatexToken[] = [];
  for (let i = 0; i < r.length; i++) {
    const t = r[i]!;
    if (t.type === "command") {
      const c = t.value.slice(1);
      if (IGNORED.has(c)) {
        if (c === "left" || c === "right" || c === "middle" || /^[bB]ig/.test(c)) {
          // the delimiter after \left may be "." (none), \{ or \| (matrices, norms)
          const next = r[i + 1];
          if (next && next.value === ".") i++;
          if (next && (next.value === "\\{" || next.value === "\\}")) {
            out.push(tok(next.value === "\\{" ? "lparen" : "rparen", next.value, next));
            i++;
          }
        }
        continue;
      }
      if (c === "frac" || c === "dfrac" || c === "tfrac") {
        const packed = derivativeFraction(r, i);
        if (packed) {
          out.push(packed.token);
          i = packed.next - 1;
        } else out.push(tok("frac", "frac", t));
        continue;
      }
      if (c === "cdot" || c === "times" || c === "ast") { out.push(tok("mul", "*", t)); continue; }
      if (c === "sqrt") { out.push(tok("sqrt", "sqrt", t)); continue; }
      if (c === "sum") {
        const packed = sumOperator(r, i);
        out.push(packed.token);
        i = packed.next - 1;
        continue;
      }
      if (c === "top" || c === "intercal" || c === "transpose") { out.push(tok("top", "top", t)); continue; }
      if (MATRIX.has(c)) throw new Unsupported("matrices are not supported yet");
      if (c === "prod") throw new Unsupported("products with \\prod are not supported yet");
      if (c === "cdots" || c === "ldots" || c === "dots") throw new Unsupported("sums written with dots (…) are not supported yet: use \\sum with numeric bounds");
      if (c === "approx") throw error("unexpected \\approx", t.offset);
      if (c === "partial") { out.push(tok("name", "∂", t)); continue; }
      if (c === "sigma") {
        const next = r[i + 1];
        const isCall = next && (next.value === "(" || next.value === "'" || next.value === "\\left");
        out.push(isCall ? tok("func", "sigmoid", t) : tok("name", "sigma", t));
        continue;
      }
      const fn = COMMAND_FUNCTIONS.get(c);
      if (fn) { out.push(tok("func", fn, t)); continue; }
      if (c === "operatorname" || c === "mathrm" || c === "text" || c === "textrm" || c === "mathit" || c === "textit" || c === "mbox") {
        const [inner, next] = braced(r, i + 1);
        const word = plainText(inner);
        i = next - 1;
        const f = WORD_FUNCTIONS.get(word) ?? WORD_FUNCTIONS.get(word.toLowerCase());
        if (f && c !== "text") out.push(tok("func", f, t));
        else if (/^[A-Za-z][A-Za-z0-9]*$/.test(word)) out.push(tok("name", word, t));
        else throw error(`cannot read \\${c}{${word}}`, t.offset);
        continue;
      }
      if (c === "hat" || c === "tilde" || c === "bar" || c === "widehat") {
        const [inner, next] = c === "hat" || c === "widehat" ? braced(r, i + 1) : braced(r, i + 1);
        const base = plainText(inner);
        i = next - 1;
        const mark = c === "tilde" ? "\u0303" : c === "bar" ? "\u0304" : "\u0302";
        if (!/^[A-Za-z]$/.test(base)) throw error(`cannot read \\${c}{${base}}: expected one letter`, t.offset);
        out.push(tok("name", (base + mark).normalize("NFC"), t));
        continue;
      }
      if (GREEK.has(c) || GREEK_VARIANTS.has(c)) { out.push(tok("name", GREEK_VARIANTS.get(c) ?? c, t)); continue; }
      throw error(`unknown command ${t.value}`, t.offset);
    }
    if (t.type === "brace") throw new Unsupported("sets and braces \\{ \\} are not supported");
    if (t.type === "rowbreak") throw error("unexpected \\\\ inside a formula", t.offset);
    if (t.type === "number") { out.push(tok("number", t.value, t)); continue; }
    if (t.type === "letters") {
      const f = WORD_FUNCTIONS.get(t.value);
      if (f) { out.push(tok("func", f, t)); continue; }
      for (let k = 0; k < t.value.length; k++) {
        out.push({ type: "name", value: t.value[k]!, offset: t.offset + k, text: t.value[k]! });
      }
      continue;
    }
    if (t.type === "other") {
      if (t.value === "∂") { out.push(tok("name", "∂", t)); continue; }
      if (t.value === "·" || t.value === "×") { out.push(tok("mul", "*", t)); continue; }
      if (t.value === "−") { out.push(tok("minus", "-", t)); continue; }
      if (/\p{L}/u.test(t.value)) {
        // a letter with a combining accent right after it stays one name
        out.push(tok("name", t.value, t));
        continue;
      }
      throw error(`unexpected "${t.value}"`, t.offset);
    }
    const map: Record<string, LatexTokenType> = {
      "+": "plus", "-": "minus", "*": "mul", "/": "slash", "^": "caret", "_": "underscore", "'": "prime",
      "(": "lparen", ")": "rparen", "[": "lbrack", "]": "rbrack", "{": "lbrace", "}": "rbrace", "|": "bar", ",": "comma",
    };
    const type = map[t.value];
    if (type === undefined) throw error(`unexpected "${t.value}"`, t.offset);
    out.push(tok(type, t.value, t));
  }
  // \sigma directly followed by \left( was decided above; a T superscript is a transpose
  for (let k = 0; k + 1 < out.length; k++) {
    if (out[k]!.type === "caret" && out[k + 1]!.type === "name" && out[k + 1]!.value === "T") throw new Unsupported("matrices are not supported yet (transpose)");
  }
  return out;
}


/** Leading `d`/`∂` of a group: how many raw tokens it takes (\mathrm{d} takes 4), or 0. */
function dPrefix(tokens: Raw[]): number {
  const t = tokens[0];
  if (!t) return 0;
  if (t.value === "\\partial" || t.value === "∂") return 1;
  if (t.type === "letters" && t.value === "d") return 1;
  if (t.type === "letters" && t.value.startsWith("d") && t.value.length > 1) return -1; // "dx": split below
  if (t.value === "\\mathrm" && tokens[1]?.value === "{" && tokens[2]?.value === "d" && tokens[3]?.value === "}") return 4;
  return 0;
}

/** `\frac{d}{dx}` (a derivative operator) or `\frac{dL}{dw}` / `\frac{\partial L}{\partial w_3}` (a derivative). */
function derivativeFraction(r: Raw[], i: number): { token: LatexToken; next: number } | undefined {
  if (r[i + 1]?.value !== "{") return undefined;
  const [num, afterNum] = braced(r, i + 1);
  if (r[afterNum]?.value !== "{") return undefined;
  const [den, afterDen] = braced(r, afterNum);
  const split = (group: Raw[]): Raw[] | undefined => {
    const k = dPrefix(group);
    if (k === 0) return undefined;
    if (k === -1) {
      const first = group[0]!;
      return [{ type: "letters", value: first.value.slice(1), offset: first.offset + 1, text: first.value.slice(1) }, ...group.slice(1)];
    }
    return group.slice(k);
  };
  const numerator = split(num);
  const variable = split(den);
  if (numerator === undefined || variable === undefined || variable.length === 0) return undefined;
  // the variable must be one name, possibly with a subscript
  if (variable.some((t) => t.value === "+" || t.value === "-" || t.value === "(" || t.value === "^")) return undefined;
  const wrt = normalise(variable);
  const numeratorTokens = normalise(numerator);
  const type: LatexTokenType = numeratorTokens.length === 0 ? "dop" : "leib";
  return { token: tok(type, type, r[i]!, { numerator: numeratorTokens, wrt }), next: afterDen };
}

/** `\sum_{i=1}^{n}`: index and bounds (bounds as tokens; the builder decides whether they are numbers). */
function sumOperator(r: Raw[], i: number): { token: LatexToken; next: number } {
  let j = i + 1;
  let index = "";
  let lo: LatexToken[] = [];
  let hi: LatexToken[] = [];
  const arg = (k: number): [Raw[], number] => (r[k]?.value === "{" ? braced(r, k) : r[k] ? [[r[k]!], k + 1] : [[], k]);
  for (let round = 0; round < 2; round++) {
    if (r[j]?.value === "_") {
      const [inner, next] = arg(j + 1);
      j = next;
      const eq = inner.findIndex((t) => t.value === "=");
      if (eq < 0) throw new Unsupported("sums without numeric bounds are not supported yet");
      index = plainText(inner.slice(0, eq));
      lo = normalise(inner.slice(eq + 1));
    } else if (r[j]?.value === "^") {
      const [inner, next] = arg(j + 1);
      j = next;
      hi = normalise(inner);
    }
  }
  if (index === "" || lo.length === 0 || hi.length === 0) throw new Unsupported("sums without numeric bounds are not supported yet");
  return { token: tok("sumop", "sum", r[i]!, { index, lo, hi }), next: j };
}

/** A nearley lexer replaying prepared tokens. */
export class LatexTokenStream implements NearleyLexer {
  private index = 0;
  constructor(private readonly tokens: readonly LatexToken[]) {}
  reset(): void {
    this.index = 0;
  }
  next(): LatexToken | undefined {
    return this.tokens[this.index++];
  }
  save(): { index: number } {
    return { index: this.index };
  }
  formatError(token: LatexToken, message = "syntax error"): string {
    return `${message} at "${token.text}"`;
  }
  has(_type: string): boolean {
    return true;
  }
}

export const lexer = new LatexTokenStream([]);

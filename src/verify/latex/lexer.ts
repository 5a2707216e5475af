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
import { MATRIX_CALCULUS, Unsupported } from "../types.js";

export type LatexTokenType =
  | "number" | "name" | "func" | "frac" | "sqrt" | "dop" | "leib" | "sumop"
  | "plus" | "minus" | "mul" | "slash" | "caret" | "underscore" | "prime"
  | "lparen" | "rparen" | "lbrack" | "rbrack" | "lbrace" | "rbrace" | "bar" | "comma" | "top"
  | "nabla" | "matbegin" | "matend" | "amp" | "rowbreak";

export interface LatexToken {
  readonly type: LatexTokenType;
  /** For names: the canonical spelling of the letter or word; functions: the registry name. */
  readonly value: string;
  readonly offset: number;
  readonly text: string;
  /** dop/leib: the tokens of the numerator (after the d or ∂) and of the variable. sumop: bounds. */
  readonly parts?: {
    readonly numerator?: LatexToken[];
    /** dop/leib: the variables of the denominator, left to right (`\partial x \partial y`: x, y). */
    readonly variables?: LatexToken[][];
    readonly index?: string;
    readonly lo?: LatexToken[];
    readonly hi?: LatexToken[];
    /** nabla: 1 (gradient) or 2 (Hessian), the function's name, the point's tokens "(…)" when written. */
    readonly order?: number;
    readonly name?: LatexToken[];
    readonly args?: LatexToken[];
  };
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

const MATRIX = new Set(["mathbf", "boldsymbol", "bm", "vec", "odot", "otimes", "circ", "Vert", "lVert", "rVert", "|"]);

/** Environments read as matrices of numbers or scalar expressions (vmatrix would be a determinant). */
const MATRIX_ENVIRONMENTS = new Set(["pmatrix", "bmatrix", "matrix", "Bmatrix", "smallmatrix"]);

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
      if (c === "nabla") {
        const packed = nablaOperator(r, i);
        out.push(packed.token);
        i = packed.next - 1;
        continue;
      }
      if (c === "begin" || c === "end") {
        const [inner, next] = braced(r, i + 1);
        const env = plainText(inner);
        if (!MATRIX_ENVIRONMENTS.has(env)) throw new Unsupported(`the ${env} environment is not supported inside a formula`);
        out.push(tok(c === "begin" ? "matbegin" : "matend", env, t));
        i = next - 1;
        continue;
      }
      if (MATRIX.has(c)) throw new Unsupported(MATRIX_CALCULUS);
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
    // a row break or & outside a matrix environment is a grammar error at that token
    if (t.type === "rowbreak") { out.push(tok("rowbreak", "\\\\", t)); continue; }
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
      if (t.value === "∇") {
        const packed = nablaOperator(r, i);
        out.push(packed.token);
        i = packed.next - 1;
        continue;
      }
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
      "(": "lparen", ")": "rparen", "[": "lbrack", "]": "rbrack", "{": "lbrace", "}": "rbrace", "|": "bar", ",": "comma", "&": "amp",
    };
    const type = map[t.value];
    if (type === undefined) throw error(`unexpected "${t.value}"`, t.offset);
    out.push(tok(type, t.value, t));
  }
  // \sigma directly followed by \left( was decided above; a T superscript is a transpose
  for (let k = 0; k + 1 < out.length; k++) {
    if (out[k]!.type === "caret" && out[k + 1]!.type === "name" && out[k + 1]!.value === "T") throw new Unsupported(MATRIX_CALCULUS);
  }
  return out;
}


/** Leading `d`/`∂` of a group: how many raw tokens it takes (\mathrm{d} takes 4), or 0. */
function dPrefix(tokens: Raw[], at = 0): number {
  const t = tokens[at];
  if (!t) return 0;
  if (t.value === "\\partial" || t.value === "∂") return 1;
  if (t.type === "letters" && t.value === "d") return 1;
  if (t.type === "letters" && t.value.startsWith("d") && t.value.length > 1) return -1; // "dx": split below
  if (t.value === "\\mathrm" && tokens[at + 1]?.value === "{" && tokens[at + 2]?.value === "d" && tokens[at + 3]?.value === "}") return 4;
  return 0;
}

const isPartial = (t: Raw | undefined): boolean => t?.value === "\\partial" || t?.value === "∂";

/** The order written as a power at tokens[k] (`^2`, `^{2}`) and the index after it; [0, k] when none. */
function power(tokens: Raw[], k: number): [number, number] {
  if (tokens[k]?.value !== "^") return [0, k];
  const t = tokens[k + 1];
  if (t?.type === "number" && /^\d+$/.test(t.value)) return [Number(t.value), k + 2];
  if (t?.value === "{" && tokens[k + 2]?.type === "number" && /^\d+$/.test(tokens[k + 2]!.value) && tokens[k + 3]?.value === "}") {
    return [Number(tokens[k + 2]!.value), k + 4];
  }
  return [0, k];
}

/** The first raw token of a "dx" run with its d removed. */
const afterD = (t: Raw): Raw => ({ type: "letters", value: t.value.slice(1), offset: t.offset + 1, text: t.value.slice(1) });

/**
 * The variables of a derivative's denominator, one per differentiation: `\partial x`, `dx^2`
 * (x twice), `\partial x \partial y`; undefined when the group is not such a denominator.
 */
function denominatorVariables(den: Raw[]): Raw[][] | undefined {
  const partial = isPartial(den[0]);
  // with ∂ only ∂ starts a variable, so a variable may start with d (∂d_1); with d, a letter run "d…"
  const startsVariable = (k: number, depth: number): boolean => depth === 0 && (partial ? isPartial(den[k]) : dPrefix(den, k) !== 0);
  const out: Raw[][] = [];
  let i = 0;
  while (i < den.length) {
    const k = partial ? (isPartial(den[i]) ? 1 : 0) : dPrefix(den, i);
    if (k === 0) return undefined;
    const variable: Raw[] = k === -1 ? [afterD(den[i]!)] : [];
    i += Math.abs(k);
    let depth = 0;
    while (i < den.length && !(variable.length > 0 && startsVariable(i, depth)) && !(depth === 0 && den[i]!.value === "^")) {
      if (den[i]!.value === "{") depth++;
      else if (den[i]!.value === "}") depth--;
      variable.push(den[i]!);
      i++;
    }
    let count = 1;
    if (den[i]?.value === "^") {
      const [n, next] = power(den, i);
      if (n < 1) return undefined;
      count = n;
      i = next;
    }
    // the variable must be one name, possibly with a subscript
    if (variable.length === 0 || variable.some((t) => t.value === "+" || t.value === "-" || t.value === "(" || t.value === "^")) return undefined;
    for (let c = 0; c < count; c++) out.push(variable);
  }
  return out;
}

/**
 * `\frac{d}{dx}` (a derivative operator) or `\frac{dL}{dw}` / `\frac{\partial L}{\partial w_3}` (a
 * derivative), also of higher order: `\frac{\partial^2 f}{\partial x \partial y}`, `\frac{d^2}{dx^2}`.
 * The variables are kept as written, left to right (∂²f/∂x∂y is ∂/∂x of ∂f/∂y).
 */
function derivativeFraction(r: Raw[], i: number): { token: LatexToken; next: number } | undefined {
  if (r[i + 1]?.value !== "{") return undefined;
  const [num, afterNum] = braced(r, i + 1);
  if (r[afterNum]?.value !== "{") return undefined;
  const [den, afterDen] = braced(r, afterNum);
  const k = dPrefix(num);
  if (k === 0) return undefined;
  let numerator: Raw[];
  let order = 1;
  if (k === -1) numerator = [afterD(num[0]!), ...num.slice(1)];
  else {
    const [n, next] = power(num, k);
    if (n > 0) order = n;
    numerator = num.slice(n > 0 ? next : k);
  }
  const variables = denominatorVariables(den);
  if (variables === undefined || variables.length === 0) return undefined;
  if (variables.length !== order) {
    throw error(`the derivative's order ${order} does not match its ${variables.length} variable${variables.length === 1 ? "" : "s"} in the denominator`, r[i]!.offset);
  }
  const numeratorTokens = normalise(numerator);
  const type: LatexTokenType = numeratorTokens.length === 0 ? "dop" : "leib";
  return { token: tok(type, type, r[i]!, { numerator: numeratorTokens, variables: variables.map(normalise) }), next: afterDen };
}

/**
 * `\nabla f`, `\nabla^2 f`, `\nabla f(6, 6)`: the gradient or Hessian of a defined name, packed
 * with its argument list so the grammar sees one operand (`2 \nabla f(6,6)` stays unambiguous).
 */
function nablaOperator(r: Raw[], i: number): { token: LatexToken; next: number } {
  let j = i + 1;
  let order = 1;
  const [n, afterPower] = power(r, j);
  if (n > 0) {
    if (n !== 2) throw error(`\\nabla^${n} is not supported: \\nabla is the gradient, \\nabla^2 the Hessian`, r[i]!.offset);
    order = 2;
    j = afterPower;
  }
  if (r[j]?.value === "_") throw new Unsupported("\\nabla with a subscript is not supported: write \\nabla f for a function f(x_1, …) defined with its variables");
  const first = r[j];
  if (!first || !(first.type === "letters" || (first.type === "command" && (GREEK.has(first.value.slice(1)) || GREEK_VARIANTS.has(first.value.slice(1)))))) {
    throw error("expected the name of a defined function after \\nabla", r[i]!.offset);
  }
  // one letter (a longer run is a product: \nabla fg is not a gradient of one name)
  const nameTokens: Raw[] = [first.type === "letters" ? { ...first, value: first.value[0]!, text: first.value[0]! } : first];
  if (first.type === "letters" && first.value.length > 1) throw error(`expected one name after \\nabla, not "${first.value}"`, first.offset);
  j++;
  if (r[j]?.value === "_") {
    nameTokens.push(r[j]!);
    if (r[j + 1]?.value === "{") {
      const [inner, next] = braced(r, j + 1);
      nameTokens.push(r[j + 1]!, ...inner, r[next - 1]!);
      j = next;
    } else if (r[j + 1]) {
      nameTokens.push(r[j + 1]!);
      j += 2;
    }
  }
  let args: LatexToken[] | undefined;
  const open = r[j]?.value === "\\left" && r[j + 1]?.value === "(" ? j + 1 : r[j]?.value === "(" ? j : -1;
  if (open >= 0) {
    let depth = 0;
    for (let k = open; k < r.length; k++) {
      if (r[k]!.value === "(") depth++;
      else if (r[k]!.value === ")" && --depth === 0) {
        args = normalise(r.slice(open, k + 1));
        j = k + 1;
        break;
      }
    }
    if (args === undefined) throw error(`"(" without a matching ")"`, r[open]!.offset);
  }
  return { token: tok("nabla", "nabla", r[i]!, { order, name: normalise(nameTokens), ...(args ? { args } : {}) }), next: j };
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
      if (eq < 0) throw new Unsupported("a sum needs its bounds: write \\sum_{i=1}^{n}");
      index = plainText(inner.slice(0, eq));
      lo = normalise(inner.slice(eq + 1));
    } else if (r[j]?.value === "^") {
      const [inner, next] = arg(j + 1);
      j = next;
      hi = normalise(inner);
    }
  }
  if (index === "" || lo.length === 0 || hi.length === 0) throw new Unsupported("a sum needs its bounds: write \\sum_{i=1}^{n}");
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

/**
 * Printing index expressions in three styles:
 *
 *   unicode (indexToText's default), as the sheets write it:  δ_ij φ'(z_i) x_k,
 *            φ1'(a_i) Σ_k w_ik φ2'(h_k) v_kj,  Σ_k (∂L/∂Y_ik) X_jk
 *   ascii    (`{ascii: true}`), unambiguous plain text:        delta_ij*phi'(z_i)*x_k,
 *            phi1'(a_i)*sum_k(w_ik*phi2'(h_k)*v_kj),  sum_k(dL/dY_ik*X_jk)
 *   latex    (indexToLatex), for KaTeX:                        \delta_{ij} \varphi'(z_{i}) x_{k}
 *
 * With `bounds` (index programs, whose sums the user wrote up to n) sums print their bounds,
 * Σ_{k=1}^{n} and sum(…, k, 1, n), and both text styles parse back where no δ is left; without,
 * Σ_k is the sheets' shorthand and not input of the formula language.
 * In the unicode and LaTeX styles a Σ reaches to the end of its product and binds tighter than +
 * (Σ_k w_ik x_k + b_i), as on paper; a Σ that is not the last factor is put in parentheses.
 * Indices are run together when each is one character (w_ik, w_12), else separated by commas
 * (w_{i,k1}).
 */
import * as Q from "../ast/rational.js";
import { lookupFunction } from "../functions/index.js";
import { latexName } from "../render/names.js";
import { formatDim, type Dim } from "../matrix/shape.js";
import { num, pow, type IExpr, type Index } from "./expr.js";

const SUM = 1;
const PRODUCT = 2;
const POWER = 3;
const ATOM = 4;

interface Piece {
  readonly text: string;
  readonly level: number;
  /** A Σ printed without parentheses, which reaches to the end of whatever follows it. */
  readonly open?: boolean;
}

interface Style {
  readonly kind: "unicode" | "ascii" | "latex";
  /** Whether sums print their bounds (index programs, whose sums the user wrote with them). */
  readonly bounds?: boolean;
  readonly name: (label: string) => string;
  readonly fn: (fn: string, order: number, arg: string) => string;
  readonly indices: (label: string, indices: readonly Index[]) => string;
  readonly delta: (a: Index, b: Index) => string;
  /** Σ over `index`; `range` is given when the sum's bounds are printed (Σ_{k=1}^{n}). */
  readonly sum: (index: string, range: Dim | undefined, body: Piece) => Piece;
  readonly grad: (of: string, entry: string) => string;
  readonly number: (r: Q.Rational) => string;
  readonly group: (s: string) => string;
  readonly times: string;
  readonly power: (base: string, exp: Q.Rational) => string;
  readonly sqrt: (arg: string) => string;
  /** Whether a lone ∂L/∂Y_ik needs parentheses as a factor. */
  readonly gradFactorGroup: boolean;
}

// ---------------------------------------------------------------------------------------------
// Names

const GREEK_NAMES = [
  "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa", "lambda", "mu",
  "nu", "xi", "omicron", "pi", "rho", "", "sigma", "tau", "upsilon", "phi", "chi", "psi", "omega",
];
const GREEK_CHARS = new Map<string, string>();
GREEK_NAMES.forEach((name, i) => {
  if (name === "") return; // U+03A2 is unassigned
  GREEK_CHARS.set(name, String.fromCodePoint(0x3b1 + i));
  GREEK_CHARS.set(name.charAt(0).toUpperCase() + name.slice(1), String.fromCodePoint(0x391 + i));
});

/** phi1 → φ1, alpha → α, W → W: a Greek head written as its letter. */
function unicodeName(name: string): string {
  const m = /^([A-Za-z]+)(.*)$/.exec(name);
  if (!m) return name;
  return (GREEK_CHARS.get(m[1]!) ?? m[1]!) + m[2]!;
}

/** The sheets write φ as \varphi. */
const latexHead = (name: string): string => latexName(name).replace(/^\\phi(?![A-Za-z])/, "\\varphi");

const joinIndices = (indices: readonly Index[], sep: string): string => {
  const parts = indices.map(String);
  return parts.every((p) => p.length === 1) ? parts.join("") : parts.join(sep);
};

const textIndices = (label: string, indices: readonly Index[]): string => {
  if (indices.length === 0) return label;
  const joined = joinIndices(indices, ",");
  return joined.includes(",") ? `${label}_{${joined}}` : `${label}_${joined}`;
};

/** x_{ik}; a base that has a subscript already (W_{1}) is braced first: {W_{1}}_{ik}. */
const latexIndices = (base: string, indices: readonly Index[]): string => {
  if (indices.length === 0) return base;
  const head = base.includes("_") ? `{${base}}` : base;
  return `${head}_{${joinIndices(indices, ",")}}`;
};

const primes = (order: number): string => "'".repeat(order);

/**
 * A built-in function as the registry writes it: its head with plain parentheses when it has one
 * (\sigma(z_{i}), \tanh'(h_{j})), else the registry's own form (e^{x}, \sqrt{x}).
 */
function builtinLatex(fn: string, order: number, arg: string): string | undefined {
  const known = lookupFunction(fn);
  if (!known) return undefined;
  const written = known.latex(["\u0000"]);
  const at = written.indexOf("\\left(");
  if (at > 0) return `${written.slice(0, at)}${primes(order)}(${arg})`;
  return order === 0 ? known.latex([arg]) : `\\operatorname{${fn}}${primes(order)}(${arg})`;
}

const UNICODE_FUNCTIONS: ReadonlyMap<string, string> = new Map([["sigmoid", "σ"]]);

// ---------------------------------------------------------------------------------------------
// Styles

const UNICODE: Style = {
  kind: "unicode",
  name: unicodeName,
  fn: (fn, order, arg) => `${UNICODE_FUNCTIONS.get(fn) ?? unicodeName(fn)}${primes(order)}(${arg})`,
  indices: (label, indices) => textIndices(unicodeName(label), indices),
  delta: (a, b) => `δ_${textIndices("", [a, b]).slice(1)}`,
  sum: (index, range, body) => ({
    text: `${range === undefined ? `Σ_${index}` : `Σ_{${index}=1}^{${formatDim(range)}}`} ${body.level > SUM ? body.text : `(${body.text})`}`,
    level: PRODUCT,
    open: true,
  }),
  grad: (of, e) => `∂${of}/∂${e}`,
  number: (r) => Q.toText(r),
  group: (s) => `(${s})`,
  times: " ",
  power: (base, e) => `${base}^${Q.isInteger(e) && !Q.isNegative(e) ? Q.toText(e) : `(${Q.toText(e)})`}`,
  sqrt: (arg) => `√(${arg})`,
  gradFactorGroup: true,
};

const ASCII: Style = {
  kind: "ascii",
  name: (n) => n,
  fn: (fn, order, arg) => `${fn}${primes(order)}(${arg})`,
  indices: textIndices,
  delta: (a, b) => `delta_${textIndices("", [a, b]).slice(1)}`,
  // with its bounds a sum is input of the formula language: sum(x_k^2, k, 1, n)
  sum: (index, range, body) => ({ text: range === undefined ? `sum_${index}(${body.text})` : `sum(${body.text}, ${index}, 1, ${formatDim(range)})`, level: ATOM }),
  grad: (of, e) => `d${of}/d${e}`,
  number: (r) => Q.toText(r),
  group: (s) => `(${s})`,
  times: "*",
  power: UNICODE.power,
  sqrt: (arg) => `sqrt(${arg})`,
  gradFactorGroup: true,
};

const LATEX: Style = {
  kind: "latex",
  name: latexHead,
  fn: (fn, order, arg) => builtinLatex(fn, order, arg) ?? `${latexHead(fn)}${primes(order)}(${arg})`,
  indices: (label, indices) => latexIndices(latexName(label), indices),
  delta: (a, b) => `\\delta_{${joinIndices([a, b], ",")}}`,
  sum: (index, range, body) => ({
    text: `\\sum_{${range === undefined ? index : `${index}=1}^{${latexDim(range)}`}} ${body.level > SUM ? body.text : `\\left(${body.text}\\right)`}`,
    level: PRODUCT,
    open: true,
  }),
  grad: (of, e) => `\\frac{\\partial ${of}}{\\partial ${e}}`,
  number: (r) => (Q.isInteger(r) ? Q.toText(r) : `\\frac{${Q.abs(r).n}}{${r.d}}`),
  group: (s) => `\\left(${s}\\right)`,
  times: " ",
  power: (base, e) => `${base}^{${Q.isInteger(e) ? Q.toText(e) : `${Q.isNegative(e) ? "-" : ""}${Q.abs(e).n}/${e.d}`}}`,
  sqrt: (arg) => `\\sqrt{${arg}}`,
  gradFactorGroup: false,
};

// ---------------------------------------------------------------------------------------------
// The walk

const wrap = (style: Style, p: Piece, level: number): string => (p.level >= level && !p.open ? p.text : style.group(p.text));

const isNegativeTerm = (e: IExpr): boolean =>
  (e.kind === "num" && Q.isNegative(e.value)) || (e.kind === "mul" && e.factors[0]!.kind === "num" && Q.isNegative(e.factors[0].value));

function print(e: IExpr, style: Style): Piece {
  switch (e.kind) {
    case "num": {
      const text = Q.isNegative(e.value) ? `-${style.number(Q.abs(e.value))}` : style.number(e.value);
      return { text, level: Q.isInteger(e.value) && !Q.isNegative(e.value) ? ATOM : PRODUCT };
    }
    case "entry":
      return { text: style.indices(e.label, e.indices), level: ATOM };
    case "delta":
      return { text: style.delta(e.a, e.b), level: ATOM };
    case "grad":
      return { text: style.grad(style.indices(e.of.label, e.of.indices), style.indices(e.entry.label, e.entry.indices)), level: style.kind === "latex" ? ATOM : PRODUCT };
    case "apply":
      return { text: style.fn(e.fn, e.order, print(e.arg, style).text), level: ATOM };
    case "pow": {
      if (Q.isNegative(e.exp)) return product([e], style);
      if (Q.equals(e.exp, Q.rational(1n, 2n))) return { text: style.sqrt(print(e.base, style).text), level: ATOM };
      return { text: style.power(wrap(style, print(e.base, style), ATOM), e.exp), level: POWER };
    }
    case "sum":
      return style.sum(e.index, style.bounds ? e.range : undefined, print(e.body, style));
    case "add":
      return sumOfTerms(e.terms, style);
    case "mul":
      return product(e.factors, style);
  }
}

function sumOfTerms(terms: readonly IExpr[], style: Style): Piece {
  let text = "";
  // positive terms first: 1 - tanh(h_j)^2, not -tanh(h_j)^2 + 1
  const ordered = [...terms].sort((a, b) => Number(isNegativeTerm(a)) - Number(isNegativeTerm(b)));
  ordered.forEach((t, i) => {
    if (isNegativeTerm(t)) {
      const p = negatedPiece(t, style);
      text += `${i === 0 ? "-" : " - "}${p.level > SUM ? p.text : style.group(p.text)}`;
    } else {
      const p = print(t, style);
      text += `${i === 0 ? "" : " + "}${p.level > SUM ? p.text : style.group(p.text)}`;
    }
  });
  return { text, level: SUM };
}

/** The printing of -t for a negative term t (without building a node). */
function negatedPiece(t: IExpr, style: Style): Piece {
  if (t.kind === "num") return print({ ...t, value: Q.neg(t.value) }, style);
  const factors = (t as IExpr & { kind: "mul" }).factors;
  const c = Q.neg((factors[0] as IExpr & { kind: "num" }).value);
  const rest = factors.slice(1);
  return Q.isOne(c) ? product(rest, style) : product([{ ...(factors[0] as IExpr & { kind: "num" }), value: c }, ...rest], style);
}

const isDenominator = (f: IExpr): f is IExpr & { kind: "pow" } => f.kind === "pow" && Q.isNegative(f.exp);

/** Factors with negative powers go below a fraction bar: -2 x_j w_i/s^2, \frac{2 x_{j} w_{i}}{s^{2}}. */
function product(factors: readonly IExpr[], style: Style): Piece {
  const below = factors.filter(isDenominator).map((f) => pow(f.base, Q.neg(f.exp)));
  const above = factors.filter((f) => !isDenominator(f));
  if (below.length === 0) return numerator(above, style);
  const negative = above[0]?.kind === "num" && Q.isNegative(above[0].value);
  const top = negative ? numerator([num(Q.neg((above[0] as IExpr & { kind: "num" }).value)), ...above.slice(1)], style) : numerator(above, style);
  const bottom = below.length === 1 ? print(below[0]!, style) : numerator(below, style);
  const sign = negative ? "-" : "";
  if (style.kind === "latex") return { text: `${sign}\\frac{${top.text}}{${bottom.text}}`, level: PRODUCT };
  const topText = top.open || top.level < PRODUCT ? style.group(top.text) : top.text;
  const bottomText = bottom.level >= POWER && !bottom.open ? bottom.text : style.group(bottom.text);
  return { text: `${sign}${topText}/${bottomText}`, level: PRODUCT };
}

/** A product without denominators; an empty one is 1. */
function numerator(factors: readonly IExpr[], style: Style): Piece {
  if (factors.length === 0) return { text: "1", level: ATOM };
  if (factors.length === 1) return print(factors[0]!, style);
  let sign = "";
  const parts: string[] = [];
  factors.forEach((f, t) => {
    if (f.kind === "num" && t === 0) {
      if (Q.equals(f.value, Q.MINUS_ONE)) sign = "-";
      else parts.push(print(f, style).text);
      return;
    }
    const p = print(f, style);
    const last = t === factors.length - 1;
    // an open Σ would swallow the factors after it; a ∂L/∂Y_ik reads better in parentheses
    const group = p.level < PRODUCT || (p.open === true && !last) || (f.kind === "grad" && style.gradFactorGroup) || (p.level === PRODUCT && !p.open && f.kind !== "grad");
    parts.push(group ? style.group(p.text) : p.text);
  });
  const text = `${sign}${parts.join(style.times)}`;
  const open = style.kind !== "ascii" && factors[factors.length - 1]!.kind === "sum";
  return { text, level: PRODUCT, ...(open ? { open } : {}) };
}

/** How a printer is asked: plain text (`ascii`) or Unicode, sums with their bounds or not. */
export interface IndexPrintOptions {
  readonly ascii?: boolean;
  /** Σ_{k=1}^{n} (ASCII sum(…, k, 1, n), which parses back) instead of Σ_k. */
  readonly bounds?: boolean;
}

const textStyle = (options: IndexPrintOptions): Style => withBounds(options.ascii ? ASCII : UNICODE, options);
const withBounds = (style: Style, options: IndexPrintOptions): Style => (options.bounds ? { ...style, bounds: true } : style);

/** A size as LaTeX: n, d_1; a number as is. */
const latexDim = (d: Dim): string => (typeof d === "number" ? String(d) : latexName(formatDim(d)));

/** The sheets' notation: δ_ij φ'(z_i) x_k; with `{ascii: true}` plain text (delta_ij*phi'(z_i)*x_k). */
export function indexToText(e: IExpr, options: IndexPrintOptions = {}): string {
  return print(e, textStyle(options)).text;
}

/** LaTeX for KaTeX and amsmath: \delta_{ij} \varphi'(z_{i}) x_{k}, \sum_{k} w_{ik} x_{k}. */
export function indexToLatex(e: IExpr, options: { readonly bounds?: boolean } = {}): string {
  return print(e, withBounds(LATEX, options)).text;
}

/** What an equation printer needs of an EntryDerivative (derive.ts). */
interface Derivative {
  readonly of: IExpr;
  readonly wrt: IExpr | readonly IExpr[];
  readonly result: IExpr;
}

const wrtList = (d: Derivative): readonly IExpr[] => (Array.isArray(d.wrt) ? d.wrt : [d.wrt as IExpr]);

/** ∂z_i/∂w_jk = δ_ij x_k (ASCII: dz_i/dw_jk = delta_ij*x_k); ∂²f/∂w∂x_j for two. */
export function derivativeToText(d: Derivative, options: IndexPrintOptions = {}): string {
  const style = textStyle(options);
  const d0 = options.ascii ? "d" : "∂";
  const wrt = wrtList(d);
  const order = wrt.length === 1 ? "" : options.ascii ? `^${wrt.length}` : superscript(wrt.length);
  return `${d0}${order}${print(d.of, style).text}/${wrt.map((w) => `${d0}${print(w, style).text}`).join(" ")} = ${print(d.result, style).text}`;
}

const superscript = (n: number): string => [...String(n)].map((c) => "⁰¹²³⁴⁵⁶⁷⁸⁹"[Number(c)]!).join("");

/** \frac{\partial z_{i}}{\partial w_{jk}} = \delta_{ij} x_{k} */
export function derivativeToLatex(d: Derivative, options: { readonly bounds?: boolean } = {}): string {
  const style = withBounds(LATEX, options);
  const wrt = wrtList(d);
  const order = wrt.length === 1 ? "" : `^{${wrt.length}}`;
  return `\\frac{\\partial${order} ${print(d.of, style).text}}{${wrt.map((w) => `\\partial ${print(w, style).text}`).join(" \\, ")}} = ${print(d.result, style).text}`;
}

/** z_i = Σ_k w_ik x_k + b_i, in the style of indexToText or indexToLatex. */
export function equationToText(lhs: IExpr, rhs: IExpr, options: IndexPrintOptions = {}): string {
  const style = textStyle(options);
  return `${print(lhs, style).text} = ${print(rhs, style).text}`;
}

export function equationToLatex(lhs: IExpr, rhs: IExpr, options: { readonly bounds?: boolean } = {}): string {
  const style = withBounds(LATEX, options);
  return `${print(lhs, style).text} = ${print(rhs, style).text}`;
}

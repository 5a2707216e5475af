/**
 * Printing matrix expressions as re-parseable text (`2*(W*X - Y)*X^T`) and as LaTeX
 * (`2 \left(W X - Y\right) X^{\top}`). One walk with two styles: the precedence decisions are made
 * once, the styles only spell the pieces.
 */
import * as Q from "../ast/rational.js";
import { lookupConstant, lookupFunction } from "../functions/index.js";
import type { MExpr } from "../matrix/nodes.js";
import { formatDim } from "../matrix/shape.js";
import { latexName } from "./names.js";
import { indexToLatex, indexToText } from "../index-notation/print.js";
import type { ElementwiseDerivation } from "../index-notation/elementwise.js";
import type { IExpr } from "../index-notation/expr.js";

/** Binding strength: a piece printed at a level is safe as an operand needing that level. */
const SUM = 1;
const PRODUCT = 2;
const UNARY = 3;
const POSTFIX = 4;
const ATOM = 5;

interface Piece {
  readonly text: string;
  readonly level: number;
}

interface Style {
  name(n: string): string;
  number(r: Q.Rational): string;
  group(s: string): string;
  times: string;
  hadamard: string;
  fraction(num: string, den: string): string;
  power(base: string, exp: Q.Rational): string;
  transpose(base: string): string;
  call(fn: string, order: number, arg: string): string;
  named(op: "tr" | "sum" | "diag", arg: string): string;
  norm(arg: string): string;
  expect(arg: string): string;
  identity: string;
  ones(rows: string, cols: string): string;
  literal(rows: readonly (readonly string[])[], column: boolean): string;
  /** `inner` is the bare text of a compound base (W W^T), which text writes as entry(W*W^T, 1, 2). */
  entry(base: string, indices: readonly number[], inner?: string): string;
  unit(rows: string, cols: string, row: number, col: number): string;
}

/** Adjoint variables of a backward pass (\u0001Y is ∂f/∂Y), see diff/matrix.ts. */
const ADJOINT = "\u0001";
let adjointOf = "f";

const TEXT: Style = {
  name: (n) => (n.startsWith(ADJOINT) ? `∂${adjointOf}/∂${n.slice(1)}` : n),
  number: (r) => Q.toText(r),
  group: (s) => `(${s})`,
  times: "*",
  hadamard: " ⊙ ",
  fraction: (num, den) => `${num}/${den}`,
  power: (base, e) => `${base}^${Q.isInteger(e) && !Q.isNegative(e) ? Q.toText(e) : `(${Q.toText(e)})`}`,
  transpose: (base) => `${base}^T`,
  call: (fn, order, arg) => `${fn}${"'".repeat(order)}(${arg})`,
  named: (op, arg) => `${op}(${arg})`,
  norm: (arg) => `||${arg}||`,
  expect: (arg) => `E[${arg}]`,
  identity: "I",
  ones: (rows, cols) => `ones(${rows}, ${cols})`,
  literal: (rows, column) => (column ? `[${rows.map((r) => r[0]).join(", ")}]` : `[${rows.map((r) => `[${r.join(", ")}]`).join(", ")}]`),
  entry: (base, indices, inner) => (inner === undefined ? `${base}[${indices.join(", ")}]` : `entry(${inner}, ${indices.join(", ")})`),
  unit: (rows, cols, row, col) => `unit(${rows}, ${cols}, ${row}, ${col})`,
};

const LATEX: Style = {
  name: (n) =>
    n.startsWith(ADJOINT)
      ? `\\frac{\\partial ${latexName(adjointOf)}}{\\partial ${latexName(n.slice(1))}}`
      : lookupConstant(n)
        ? lookupConstant(n)!.latex
        : latexName(n),
  number: (r) => (Q.isInteger(r) ? Q.toText(r) : `\\frac{${Q.abs(r).n}}{${r.d}}`),
  group: (s) => `\\left(${s}\\right)`,
  times: " ",
  hadamard: " \\odot ",
  fraction: (num, den) => `\\frac{${num}}{${den}}`,
  power: (base, e) => `${base}^{${Q.isInteger(e) ? Q.toText(e) : `${Q.toText(e)}`}}`,
  transpose: (base) => `${base}^{\\top}`,
  call: (fn, order, arg) => {
    const known = lookupFunction(fn);
    if (known && order === 0) return known.latex([arg]);
    if (known) {
      // σ'(z): the function's own head with primes (its LaTeX is head\left(arg\right))
      const written = known.latex(["\u0000"]);
      const at = written.indexOf("\\left(");
      if (at > 0) return `${written.slice(0, at)}${"'".repeat(order)}\\left(${arg}\\right)`;
    }
    return `${latexName(fn)}${"'".repeat(order)}\\left(${arg}\\right)`;
  },
  named: (op, arg) => `\\operatorname{${op}}\\left(${arg}\\right)`,
  norm: (arg) => `\\left\\lVert ${arg} \\right\\rVert`,
  expect: (arg) => `\\mathbb{E}\\left[${arg}\\right]`,
  identity: "I",
  ones: () => "\\mathbf{1}",
  literal: (rows) => `\\begin{bmatrix} ${rows.map((r) => r.join(" & ")).join(" \\\\ ")} \\end{bmatrix}`,
  entry: (base, indices) => `${base}_{${indices.join(",")}}`,
  unit: (_rows, _cols, row, col) => `E_{${row},${col}}`,
};

const wrap = (style: Style, p: Piece, level: number): string => (p.level >= level ? p.text : style.group(p.text));

function print(e: MExpr, style: Style): Piece {
  switch (e.kind) {
    case "const": {
      const text = style === TEXT ? Q.toText(e.value) : Q.isNegative(e.value) ? `-${style.number(Q.abs(e.value))}` : style.number(e.value);
      return { text, level: Q.isNegative(e.value) ? UNARY : Q.isInteger(e.value) ? ATOM : PRODUCT };
    }
    case "var":
      return { text: style.name(e.name), level: ATOM };
    case "identity":
      return { text: style.identity, level: ATOM };
    case "ones":
      return { text: style.ones(formatDim(e.shape.rows), formatDim(e.shape.cols)), level: ATOM };
    case "literal":
      return { text: style.literal(e.entries.map((r) => r.map((x) => print(x, style).text)), e.shape.cols === 1), level: ATOM };
    case "add": {
      let text = "";
      // positive terms first (W X - Y, not -Y + W X), products before single names (W x + b),
      // constants last (x + 1)
      const rank = (t: MExpr): number => (negative(t) ? 3 : 0) + (t.kind === "mul" ? 0 : t.kind === "const" ? 2 : 1);
      const terms = [...e.args].sort((a, b) => rank(a) - rank(b));
      terms.forEach((t, i) => {
        if (negative(t)) {
          const p = print(negated(t), style);
          text += `${i === 0 ? "-" : " - "}${wrap(style, p, PRODUCT)}`;
        } else text += `${i === 0 ? "" : " + "}${print(t, style).text}`;
      });
      return { text, level: SUM };
    }
    case "mul":
      return product(e, style);
    case "hadamard":
      return { text: e.args.map((a) => wrap(style, print(a, style), POSTFIX)).join(style.hadamard), level: PRODUCT };
    case "pow": {
      if (Q.isNegative(e.exp) && e.shape.rows === 1 && e.shape.cols === 1) {
        const den = print(Q.equals(e.exp, Q.MINUS_ONE) ? e.base : powNode(e.base, Q.neg(e.exp)), style);
        return { text: style.fraction(style === TEXT ? "1" : "1", style === TEXT ? wrap(style, den, POSTFIX) : den.text), level: PRODUCT };
      }
      return { text: style.power(wrap(style, print(e.base, style), ATOM), e.exp), level: POSTFIX };
    }
    case "transpose":
      return { text: style.transpose(wrap(style, print(e.arg, style), ATOM)), level: POSTFIX };
    case "apply":
      return { text: style.call(e.fn, e.order, print(e.arg, style).text), level: ATOM };
    case "trace":
      return { text: style.named("tr", print(e.arg, style).text), level: ATOM };
    case "sum":
      return { text: style.named("sum", print(e.arg, style).text), level: ATOM };
    case "diag":
      return { text: style.named("diag", print(e.arg, style).text), level: ATOM };
    case "norm":
      return { text: style.norm(print(e.arg, style).text), level: ATOM };
    case "expect":
      return { text: style.expect(print(e.arg, style).text), level: ATOM };
    case "entry": {
      const indices = e.arg.shape.cols === 1 ? [e.row] : [e.row, e.col];
      const base = print(e.arg, style);
      return { text: style.entry(base.level >= ATOM ? base.text : style.group(base.text), indices, base.level >= ATOM ? undefined : base.text), level: ATOM };
    }
    case "unit":
      return { text: style.unit(formatDim(e.shape.rows), formatDim(e.shape.cols), e.row, e.col), level: ATOM };
  }
}

/** A stand-in power node for printing x^k of a denominator (never interned). */
function powNode(base: MExpr, exp: Q.Rational): MExpr {
  return { kind: "pow", id: -1, shape: base.shape, depth: base.depth + 1, base, exp };
}

const negative = (e: MExpr): boolean =>
  (e.kind === "const" && Q.isNegative(e.value)) || (e.kind === "mul" && e.args[0]!.kind === "const" && Q.isNegative(e.args[0]!.value));

/** -e for a negative term, without interning (printing only). */
function negated(e: MExpr): MExpr {
  if (e.kind === "const") return { ...e, value: Q.neg(e.value) };
  const m = e as MExpr & { kind: "mul" };
  const c = Q.neg((m.args[0] as MExpr & { kind: "const" }).value);
  const rest = m.args.slice(1);
  if (Q.isOne(c) && rest.length === 1) return rest[0]!;
  return { ...m, args: Q.isOne(c) ? rest : [{ ...(m.args[0] as MExpr & { kind: "const" }), value: c }, ...rest] };
}

function product(e: MExpr & { kind: "mul" }, style: Style): Piece {
  let coefficient = Q.ONE;
  const factors: MExpr[] = [];
  const denominators: MExpr[] = [];
  for (const a of e.args) {
    if (a.kind === "const") coefficient = a.value;
    else if (a.kind === "pow" && Q.isNegative(a.exp) && a.shape.rows === 1 && a.shape.cols === 1) denominators.push(Q.equals(a.exp, Q.MINUS_ONE) ? a.base : powNode(a.base, Q.neg(a.exp)));
    else factors.push(a);
  }
  const sign = Q.isNegative(coefficient) ? "-" : "";
  const c = Q.abs(coefficient);
  const num = factors.map((f) => wrap(style, print(f, style), f.kind === "hadamard" ? ATOM : POSTFIX));
  const denParts = denominators.map((f) => wrap(style, print(f, style), POSTFIX));
  const cNum = Q.rational(c.n);
  if (!Q.isOne(cNum) || num.length === 0) num.unshift(style.number(cNum));
  if (c.d !== 1n) denParts.unshift(style.number(Q.rational(c.d)));
  let text = num.join(style.times);
  if (denParts.length > 0) {
    const den = denParts.join(style.times);
    text = style === TEXT ? style.fraction(num.length > 1 ? style.group(text) : text, denParts.length > 1 ? style.group(den) : den) : style.fraction(text, den);
  }
  return { text: `${sign}${text}`, level: sign ? UNARY : PRODUCT };
}

export const matrixToText = (e: MExpr): string => print(e, TEXT).text;
export const matrixToLatex = (e: MExpr): string => print(e, LATEX).text;

/** One backward-pass line as text and LaTeX: ∂f/∂W = ∂f/∂Y X^T = 2*(Y - Yhat)*X^T. */
export interface BackwardLine {
  readonly text: string;
  readonly latex: string;
}

/** Runs `print` with adjoint names written as derivatives of `f` (∂f/∂Y). */
function withAdjointsOf<T>(f: string, print: () => T): T {
  const previous = adjointOf;
  adjointOf = f;
  try {
    return print();
  } finally {
    adjointOf = previous;
  }
}

/** Prints a backward pass (diff/matrix.ts `matrixBackwardPass`) of the function named `f`. */
export function backwardPassLines(steps: readonly { name: string; local?: MExpr; result: MExpr }[], f: string): BackwardLine[] {
  return withAdjointsOf(f, () =>
    steps.map((s) => {
      const lhsText = `∂${f}/∂${s.name}`;
      const lhsLatex = `\\frac{\\partial ${latexName(f)}}{\\partial ${latexName(s.name)}}`;
      const texts = [lhsText, ...(s.local ? [matrixToText(s.local)] : []), matrixToText(s.result)];
      const latexes = [lhsLatex, ...(s.local ? [matrixToLatex(s.local)] : []), matrixToLatex(s.result)];
      return { text: texts.join(" = "), latex: latexes.join(" = ") };
    }),
  );
}

/** The right side of one line of an elementwise derivation, with the rule that gives it. */
export interface ElementwiseLineOutput extends BackwardLine {
  readonly rule: string;
}

/**
 * Prints an elementwise derivation (index-notation/elementwise.ts): its left side ∂L/∂W_ij and the
 * right side of each line (Σ_k Σ_l ∂L/∂Y_kl ∂Y_kl/∂W_ij, …), the last the entry of the matrix form.
 */
export function elementwiseLines(
  d: ElementwiseDerivation,
  options: { readonly bounds?: boolean } = {},
): { given: Array<ElementwiseLineOutput & { lhs: BackwardLine }>; lhs: BackwardLine; lines: ElementwiseLineOutput[] } {
  const given = d.given.map((g) => ({
    rule: `the derivative of ${d.of} by ${indexToText(g.entry)}`,
    lhs: partialOf(d.of, g.entry),
    text: indexToText(g.result, options),
    latex: indexToLatex(g.result, options),
  }));
  const lhs = partialOf(d.of, d.wrt);
  const lines = withAdjointsOf(d.of, () =>
    d.lines.map((line) => {
      if (line.kind === "index") return { rule: line.rule, text: indexToText(line.rhs, options), latex: indexToLatex(line.rhs, options) };
      // the entry of a matrix expression: (∂L/∂Y X^T)_ij
      const parts = line.indices.map(String);
      const sub = parts.every((p) => p.length === 1) ? parts.join("") : parts.join(",");
      const simple = line.rhs.kind === "var";
      const text = `${simple ? matrixToText(line.rhs) : `(${matrixToText(line.rhs)})`}${sub.includes(",") ? `_{${sub}}` : `_${sub}`}`;
      const latex = `${simple ? matrixToLatex(line.rhs) : `\\left(${matrixToLatex(line.rhs)}\\right)`}_{${sub}}`;
      return { rule: line.rule, text, latex };
    }),
  );
  // the matrix form of an adjoint is the entry just written (∂ℓ/∂h_i): once is enough
  return { given, lhs, lines: lines.filter((l, k) => k === 0 || l.text !== lines[k - 1]!.text) };
}

/** ∂f/∂W_ij as text and LaTeX. */
const partialOf = (of: string, wrt: IExpr): BackwardLine => ({
  text: `∂${of}/∂${indexToText(wrt)}`,
  latex: `\\frac{\\partial ${latexName(of)}}{\\partial ${indexToLatex(wrt)}}`,
});

/**
 * An elementwise derivation as equations (aligned in LaTeX): the gradients it substitutes first,
 * each on its own line, then lhs = first, and "= …" lines.
 */
export function elementwiseEquations(d: ElementwiseDerivation, options: { readonly bounds?: boolean } = {}): ElementwiseLineOutput[] {
  const { given, lhs, lines } = elementwiseLines(d, options);
  return [
    ...given.map((g) => ({ rule: g.rule, text: `${g.lhs.text} = ${g.text}`, latex: `${g.lhs.latex} = ${g.latex}` })),
    ...lines.map((l, k) => ({ rule: l.rule, text: `${k === 0 ? lhs.text : " ".repeat(lhs.text.length)} = ${l.text}`, latex: `${k === 0 ? lhs.latex : ""} = ${l.latex}` })),
  ];
}

/** Equations `lhs = … = …` as one aligned block, aligned at the first "=" of each. */
export function alignedLatex(lines: readonly { readonly latex: string }[]): string {
  return `\\begin{aligned}\n${lines.map((l) => l.latex.replace(" = ", " &= ")).join(" \\\\\n")}\n\\end{aligned}`;
}

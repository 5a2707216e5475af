/**
 * LaTeX for KaTeX: quotients as `\frac`, products by juxtaposition (`2 x`, `x y`), powers with
 * braced exponents (`x^{2}`), function calls through each registry entry's own `latex`.
 * Parentheses (`\left( \right)`) appear only where the layout would otherwise be misread.
 */
import { Q, type Call, type Expr, type Mul, type Pow, type Rational } from "../ast/index.js";
import { lookupConstant, lookupFunction } from "../functions/index.js";
import { latexName } from "./names.js";
import { foldTree, fractionOf, isNegativeTerm, reciprocalPower, termsForReading, type Power } from "./shape.js";

/** How tightly a printed piece holds together; a context needing more gets parentheses. */
const SUM = 0;
const NEGATED = 1;
const PRODUCT = 2;
/** Carries a superscript or radical already: fine as a factor, not as a base (`e^{x}^{2}` fails). */
const SCRIPTED = 3;
const ATOM = 4;
type Level = typeof SUM | typeof NEGATED | typeof PRODUCT | typeof SCRIPTED | typeof ATOM;

interface Printed {
  readonly text: string;
  readonly level: Level;
  /** The text without its leading minus, for ` - term` in sums; equals `text` when positive. */
  readonly magnitude: string;
  /** A bare symbol: parentheses right after one may read as a function call (see needsDot). */
  readonly isSymbol: boolean;
}

const piece = (text: string, level: Level, magnitude = text): Printed => ({ text, level, magnitude, isSymbol: false });

const paren = (text: string): string => `\\left(${text}\\right)`;
const wrap = (p: Printed, needs: Level): string => (p.level >= needs ? p.text : paren(p.text));

/** `1e-3` is `10^{-3}`, `2.5e-7` is `2.5 \cdot 10^{-7}`: never an `e` that reads as Euler's. */
function scientific(text: string): Printed | undefined {
  const m = /^(\d+(?:\.\d+)?)e(-?\d+)$/.exec(text);
  if (!m) return undefined;
  const power = `10^{${m[2]}}`;
  return m[1] === "1" ? piece(power, SCRIPTED) : piece(`${m[1]} \\cdot ${power}`, PRODUCT);
}

/** A non-negative number: integer, short decimal, `10^{k}` form, or `\frac{p}{q}`. */
function unsignedNumber(r: Rational): Printed {
  if (Q.isInteger(r)) return piece(r.n.toString(), ATOM);
  const text = Q.toText(r);
  if (text.includes("/")) return piece(`\\frac{${r.n}}{${r.d}}`, PRODUCT);
  return scientific(text) ?? piece(text, ATOM);
}

function printNumber(r: Rational): Printed {
  const magnitude = unsignedNumber(Q.abs(r));
  if (!Q.isNegative(r)) return magnitude;
  return piece(`-${magnitude.text}`, NEGATED, magnitude.text);
}

/** A numeric exponent inside braces: `2`, `-1`, `3/2` (a slash reads better up there than `\frac`). */
const exponentLatex = (r: Rational): string => (Q.isInteger(r) ? `${r.n}` : `${r.n}/${r.d}`);

/** `base^{exp}` for a numeric exponent, with `\sqrt{…}` for exponent 1/2 and nothing for 1. */
function powerWithNumber(base: Printed, exp: Rational): Printed {
  if (Q.isOne(exp)) return base;
  if (exp.n === 1n && exp.d === 2n) return piece(`\\sqrt{${base.text}}`, SCRIPTED);
  return piece(`${wrap(base, ATOM)}^{${exponentLatex(exp)}}`, SCRIPTED);
}

/**
 * `\cdot` where juxtaposition would misread: `2 \cdot 3^{x}` (not 23^x), and a symbol written as
 * a command before parentheses, since `\sigma \left(x + 1\right)` looks like sigmoid(x + 1) and
 * `\mathrm{lr} \left(…\right)` like a function lr. `x \left(1 - x\right)` stays as textbooks write it.
 */
function needsDot(before: Printed, after: string): boolean {
  if (/^[0-9.]/.test(after)) return true;
  return before.isSymbol && before.text.startsWith("\\") && after.startsWith("\\left(");
}

/** Factors side by side; each compound factor in parentheses. */
function juxtapose(factors: readonly Printed[]): string {
  let text = wrap(factors[0]!, SCRIPTED);
  for (let i = 1; i < factors.length; i++) {
    const next = wrap(factors[i]!, SCRIPTED);
    text += needsDot(factors[i - 1]!, next) ? ` \\cdot ${next}` : ` ${next}`;
  }
  return text;
}

/** Numerator or denominator of a `\frac`: the braces already group, so one factor goes bare. */
const fracPart = (factors: readonly Printed[]): string =>
  factors.length === 0 ? "1" : factors.length === 1 ? factors[0]!.text : juxtapose(factors);

const integerPiece = (n: bigint): Printed => piece(n.toString(), ATOM);

function printProduct(e: Mul, printed: (x: Expr) => Printed): Printed {
  const f = fractionOf(e);
  const under = (pw: Power): Printed => powerWithNumber(printed(pw.base), pw.exp);
  const top = [...(f.p !== 1n ? [integerPiece(f.p)] : []), ...f.over.map(printed)];
  const bottom = [...(f.q !== 1n ? [integerPiece(f.q)] : []), ...f.under.map(under)];
  let magnitude: Printed;
  if (bottom.length > 0) magnitude = piece(`\\frac{${fracPart(top)}}{${fracPart(bottom)}}`, PRODUCT);
  // a lone factor only happens as mul(-1, x): keep x's own level
  else magnitude = top.length === 1 ? top[0]! : piece(juxtapose(top), PRODUCT);
  if (!f.negative) return magnitude;
  const shown = wrap(magnitude, PRODUCT);
  return piece(`-${shown}`, NEGATED, shown);
}

function printSum(terms: readonly Expr[], printed: (x: Expr) => Printed): Printed {
  const ordered = termsForReading(terms);
  let text = printed(ordered[0]!).text;
  for (const t of ordered.slice(1)) {
    text += isNegativeTerm(t) ? ` - ${printed(t).magnitude}` : ` + ${printed(t).text}`;
  }
  return piece(text, SUM);
}

function printPower(e: Pow, printed: (x: Expr) => Printed): Printed {
  const down = reciprocalPower(e);
  if (down) return piece(`\\frac{1}{${powerWithNumber(printed(down.base), down.exp).text}}`, PRODUCT);
  if (e.exp.kind === "num") return powerWithNumber(printed(e.base), e.exp.value);
  return piece(`${wrap(printed(e.base), ATOM)}^{${printed(e.exp).text}}`, SCRIPTED);
}

/**
 * A call through its registry entry. What comes back is opaque, so its level is read off the
 * end: a closing delimiter (`\sigma\left(x\right)`, `\left|x\right|`) can take an exponent,
 * anything else (`e^{x}`, `\sqrt{x}`) is parenthesised first.
 */
function printCall(e: Call, printed: (x: Expr) => Printed): Printed {
  const args = e.args.map((a) => printed(a).text);
  const def = lookupFunction(e.fn);
  const text =
    def && def.name === e.fn ? def.latex(args) : `${latexName(e.fn)}${paren(args.join(", "))}`;
  return piece(text, text.endsWith(")") || text.endsWith("|") ? ATOM : SCRIPTED);
}

function printSymbol(name: string): Printed {
  const constant = lookupConstant(name);
  const text = constant && constant.name === name ? constant.latex : latexName(name);
  return { text, level: ATOM, magnitude: text, isSymbol: true };
}

function printNode(e: Expr, printed: (x: Expr) => Printed): Printed {
  switch (e.kind) {
    case "num":
      return printNumber(e.value);
    case "sym":
      return printSymbol(e.name);
    case "add":
      return printSum(e.args, printed);
    case "mul":
      return printProduct(e, printed);
    case "pow":
      return printPower(e, printed);
    case "call":
      return printCall(e, printed);
  }
}

/** LaTeX for `e` that KaTeX renders, e.g. `\sigma\left(z\right) \left(1 - \sigma\left(z\right)\right)`. */
export function toLatex(e: Expr): string {
  return foldTree(e, printNode).text;
}

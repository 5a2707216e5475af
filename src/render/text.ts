/**
 * The plain text form: the language's own syntax, canonical and re-parseable, with as few
 * parentheses as the grammar allows. The contract is `parseExpression(toText(e)) === e`.
 *
 * Grammar facts the layout relies on: `+ -` bind loosest, then `* /` (left-associative), then
 * unary minus, then `^` (right-associative), so `-x^2` is `-(x^2)` and `2^3^2` is `2^(3^2)`.
 */
import { Q, type Expr, type Mul, type Pow, type Rational } from "../ast/index.js";
import { foldTree, fractionOf, isNegativeTerm, reciprocalPower, termsForReading, type Power } from "./shape.js";

/** How tightly a printed piece holds together; a context needing more gets parentheses. */
const SUM = 0;
const NEGATED = 1;
const PRODUCT = 2;
const POWER = 3;
const ATOM = 4;
type Level = typeof SUM | typeof NEGATED | typeof PRODUCT | typeof POWER | typeof ATOM;

interface Printed {
  readonly text: string;
  readonly level: Level;
  /** The text without its leading minus, for ` - term` in sums; equals `text` when positive. */
  readonly magnitude: string;
}

const piece = (text: string, level: Level, magnitude = text): Printed => ({ text, level, magnitude });

/** `(text)` unless the piece already binds at least as tightly as the context needs. */
const wrap = (p: Printed, needs: Level): string => (p.level >= needs ? p.text : `(${p.text})`);

function numberLevel(text: string): Level {
  if (text.startsWith("-")) return NEGATED;
  if (text.includes("/")) return PRODUCT;
  // `1e-3` would re-parse as a base, but `1e-3^x` reads as 1e-(3^x) to a person
  if (text.includes("e")) return POWER;
  return ATOM;
}

function printNumber(r: Rational): Printed {
  const text = Q.toText(r);
  return piece(text, numberLevel(text), Q.toText(Q.abs(r)));
}

/** Exponents are written as fractions, never decimals: `x^(1/2)`, not `x^0.5`. */
function exponentText(r: Rational): string {
  if (Q.isInteger(r)) return Q.isNegative(r) ? `(${r.n})` : `${r.n}`;
  return `(${r.n}/${r.d})`;
}

/** `base^exp` for a numeric exponent; exponent 1 is the base itself. */
function powerWithNumber(base: Printed, exp: Rational): Printed {
  if (Q.isOne(exp)) return base;
  return piece(`${wrap(base, ATOM)}^${exponentText(exp)}`, POWER);
}

/** Factors joined by `*`, each in parentheses if it would otherwise come apart. */
const joinFactors = (factors: readonly Printed[]): string => factors.map((f) => wrap(f, POWER)).join("*");

/** The text under a `/`: one tight factor bare (`x^2`), anything else as `(2*x)`. */
function denominatorText(factors: readonly Printed[]): string {
  if (factors.length === 1) return wrap(factors[0]!, POWER);
  return `(${joinFactors(factors)})`;
}

const integerPiece = (n: bigint): Printed => piece(n.toString(), ATOM);

function printProduct(e: Mul, printed: (x: Expr) => Printed): Printed {
  const f = fractionOf(e);
  const under = (pw: Power): Printed => powerWithNumber(printed(pw.base), pw.exp);
  const top = [...(f.p !== 1n ? [integerPiece(f.p)] : []), ...f.over.map(printed)];
  const bottom = [...(f.q !== 1n ? [integerPiece(f.q)] : []), ...f.under.map(under)];
  let magnitude: Printed;
  if (bottom.length === 0) {
    // a lone factor only happens as mul(-1, x): keep x's own level for the magnitude
    magnitude = top.length === 1 ? top[0]! : piece(joinFactors(top), PRODUCT);
  } else {
    const numerator = top.length === 0 ? "1" : joinFactors(top);
    magnitude = piece(`${numerator}/${denominatorText(bottom)}`, PRODUCT);
  }
  if (!f.negative) return magnitude;
  return piece(`-${wrap(magnitude, PRODUCT)}`, NEGATED, wrap(magnitude, PRODUCT));
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
  if (down) return piece(`1/${denominatorText([powerWithNumber(printed(down.base), down.exp)])}`, PRODUCT);
  if (e.exp.kind === "num") return powerWithNumber(printed(e.base), e.exp.value);
  // right-associative: a power in the exponent needs no parentheses, one in the base does
  return piece(`${wrap(printed(e.base), ATOM)}^${wrap(printed(e.exp), POWER)}`, POWER);
}

function printNode(e: Expr, printed: (x: Expr) => Printed): Printed {
  switch (e.kind) {
    case "num":
      return printNumber(e.value);
    case "sym":
      return piece(e.name, ATOM);
    case "add":
      return printSum(e.args, printed);
    case "mul":
      return printProduct(e, printed);
    case "pow":
      return printPower(e, printed);
    case "call":
      return piece(`${e.fn}(${e.args.map((a) => printed(a).text).join(", ")})`, ATOM);
  }
}

/** The canonical plain-text form of `e`, e.g. `2*x + y^2 - 3`, `sigmoid(z)*(1 - sigmoid(z))`. */
export function toText(e: Expr): string {
  return foldTree(e, printNode).text;
}

/**
 * The three languages code is generated in: JavaScript (compiled in-process and emitted),
 * Python with NumPy, and R. A back end turns operands that are already variables or literals into
 * one expression or statement; it never sees a user's identifier unless the caller has checked it
 * is a plain identifier of that language (names.ts).
 *
 * Functions: JavaScript uses each registry entry's own `js` template. Python and R have tables
 * here (the registry describes JavaScript only); a function missing from a table is reported as
 * not available for that language. NumPy and R functions are elementwise, so the same code works
 * for scalars and for whole data columns.
 */
import { getFunction, lookupConstant } from "../functions/index.js";
import { DeriveError } from "../errors.js";
import { ENABS, LOG1P, SIGMOID, SOFTPLUS } from "./lower.js";

export type LanguageName = "js" | "python" | "r";
export const LANGUAGES: readonly LanguageName[] = ["js", "python", "r"];

export interface Term {
  readonly code: string;
  readonly minus: boolean;
}

export interface Language {
  readonly name: LanguageName;
  /** A numeric literal, parenthesised when negative. */
  literal(x: number): string;
  /** A named constant (pi, e) not bound as an input. */
  constant(name: string): string | undefined;
  sum(terms: readonly string[]): string;
  product(factors: readonly string[]): string;
  negate(a: string): string;
  reciprocal(a: string): string;
  sqrt(a: string): string;
  power(a: string, b: string): string;
  /** a^(p/q) for odd q on the reals: (-8)^(1/3) = -2 (the evaluator's convention). */
  oddRootPower(a: string, exponent: string, evenNumerator: boolean): string;
  call(fn: string, args: readonly string[]): string;
  /** Statements. */
  declare(name: string, expr: string): string;
  declareMutable(name: string, init: string): string;
  accumulate(name: string, expr: string): string;
  comment(text: string): string;
  /** Words that cannot be variable names. */
  readonly reserved: ReadonlySet<string>;
}

const plainLiteral = (x: number): string => {
  if (Number.isNaN(x)) return "NaN";
  if (!Number.isFinite(x)) return x > 0 ? "Infinity" : "-Infinity";
  return String(x);
};
const wrapNegative = (text: string): string => (text.startsWith("-") ? `(${text})` : text);

// ---------------------------------------------------------------------------------------------
// JavaScript

const JS_INTERNAL: Record<string, (a: readonly string[]) => string> = {
  [ENABS]: (a) => `Math.exp(-Math.abs(${a[0]}))`,
  [LOG1P]: (a) => `Math.log1p(${a[0]})`,
  [SIGMOID]: (a) => `(${a[0]} >= 0 ? 1 / (1 + ${a[1]}) : ${a[1]} / (1 + ${a[1]}))`,
  [SOFTPLUS]: (a) => `(${a[0]} > 0 ? ${a[0]} + ${a[1]} : ${a[1]})`,
};

const JS_RESERVED = new Set(
  (
    "break case catch class const continue debugger default delete do else enum export extends false finally for function if " +
    "import in instanceof new null return super switch this throw true try typeof var void while with yield let static " +
    "implements interface package private protected public await arguments eval undefined NaN Infinity Math"
  ).split(" "),
);

export const javascript: Language = {
  name: "js",
  literal: (x) => wrapNegative(plainLiteral(x)),
  constant: (name) => lookupConstant(name)?.js,
  sum: (terms) => terms.join(" + "),
  product: (factors) => factors.join(" * "),
  negate: (a) => `-${a}`,
  reciprocal: (a) => `1 / ${a}`,
  sqrt: (a) => `Math.sqrt(${a})`,
  power: (a, b) => `Math.pow(${a}, ${b})`,
  oddRootPower: (a, c, even) => (even ? `Math.pow(Math.abs(${a}), ${c})` : `(${a} < 0 ? -Math.pow(-${a}, ${c}) : Math.pow(${a}, ${c}))`),
  call(fn, args) {
    const internal = JS_INTERNAL[fn];
    return internal ? internal(args) : getFunction(fn).js(args);
  },
  declare: (name, expr) => `const ${name} = ${expr};`,
  declareMutable: (name, init) => `let ${name} = ${init};`,
  accumulate: (name, expr) => `${name} += ${expr};`,
  comment: (text) => `// ${text}`,
  reserved: JS_RESERVED,
};

// ---------------------------------------------------------------------------------------------
// Python (NumPy)

const PY_FUNCTIONS: Record<string, (a: readonly string[]) => string> = {
  exp: (a) => `np.exp(${a[0]})`,
  log: (a) => `np.log(${a[0]})`,
  sqrt: (a) => `np.sqrt(${a[0]})`,
  sin: (a) => `np.sin(${a[0]})`,
  cos: (a) => `np.cos(${a[0]})`,
  tan: (a) => `np.tan(${a[0]})`,
  sinh: (a) => `np.sinh(${a[0]})`,
  cosh: (a) => `np.cosh(${a[0]})`,
  tanh: (a) => `np.tanh(${a[0]})`,
  abs: (a) => `np.abs(${a[0]})`,
  sign: (a) => `np.sign(${a[0]})`,
  relu: (a) => `np.maximum(${a[0]}, 0.0)`,
  step: (a) => `np.where(${a[0]} > 0, 1.0, 0.0)`,
  sigmoid: (a) => `(1.0 / (1.0 + np.exp(-${a[0]})))`,
  softplus: (a) => `np.logaddexp(0.0, ${a[0]})`,
  [ENABS]: (a) => `np.exp(-np.abs(${a[0]}))`,
  [LOG1P]: (a) => `np.log1p(${a[0]})`,
  [SIGMOID]: (a) => `np.where(${a[0]} >= 0, 1.0 / (1.0 + ${a[1]}), ${a[1]} / (1.0 + ${a[1]}))`,
  [SOFTPLUS]: (a) => `(np.maximum(${a[0]}, 0.0) + ${a[1]})`,
};

const PY_RESERVED = new Set(
  (
    "False None True and as assert async await break class continue def del elif else except finally for from global if " +
    "import in is lambda nonlocal not or pass raise return try while with yield np numpy float"
  ).split(" "),
);

function pyLiteral(x: number): string {
  let text = plainLiteral(x);
  if (text === "NaN") return "np.nan";
  if (text === "Infinity") return "np.inf";
  if (text === "-Infinity") return "(-np.inf)";
  // float literals: integer division or integer powers never sneak in
  if (/^-?\d+$/.test(text)) text += ".0";
  return wrapNegative(text);
}

export const python: Language = {
  name: "python",
  literal: pyLiteral,
  constant: (name) => (name === "pi" ? "np.pi" : name === "e" ? "np.e" : undefined),
  sum: (terms) => terms.join(" + "),
  product: (factors) => factors.join(" * "),
  negate: (a) => `-${a}`,
  reciprocal: (a) => `1.0 / ${a}`,
  sqrt: (a) => `np.sqrt(${a})`,
  power: (a, b) => `np.power(${a}, ${b})`,
  oddRootPower: (a, c, even) => (even ? `np.power(np.abs(${a}), ${c})` : `(np.sign(${a}) * np.power(np.abs(${a}), ${c}))`),
  call(fn, args) {
    const f = PY_FUNCTIONS[fn];
    if (!f) throw new DeriveError(`code generation for Python does not know the function ${fn}`);
    return f(args);
  },
  declare: (name, expr) => `${name} = ${expr}`,
  declareMutable: (name, init) => `${name} = ${init}`,
  accumulate: (name, expr) => `${name} = ${name} + ${expr}`,
  comment: (text) => `# ${text}`,
  reserved: PY_RESERVED,
};

// ---------------------------------------------------------------------------------------------
// R

const R_FUNCTIONS: Record<string, (a: readonly string[]) => string> = {
  exp: (a) => `exp(${a[0]})`,
  log: (a) => `log(${a[0]})`,
  sqrt: (a) => `sqrt(${a[0]})`,
  sin: (a) => `sin(${a[0]})`,
  cos: (a) => `cos(${a[0]})`,
  tan: (a) => `tan(${a[0]})`,
  sinh: (a) => `sinh(${a[0]})`,
  cosh: (a) => `cosh(${a[0]})`,
  tanh: (a) => `tanh(${a[0]})`,
  abs: (a) => `abs(${a[0]})`,
  sign: (a) => `sign(${a[0]})`,
  relu: (a) => `pmax(${a[0]}, 0)`,
  step: (a) => `as.numeric(${a[0]} > 0)`,
  sigmoid: (a) => `(1 / (1 + exp(-${a[0]})))`,
  softplus: (a) => `(pmax(${a[0]}, 0) + log1p(exp(-abs(${a[0]}))))`,
  [ENABS]: (a) => `exp(-abs(${a[0]}))`,
  [LOG1P]: (a) => `log1p(${a[0]})`,
  [SIGMOID]: (a) => `ifelse(${a[0]} >= 0, 1 / (1 + ${a[1]}), ${a[1]} / (1 + ${a[1]}))`,
  [SOFTPLUS]: (a) => `(pmax(${a[0]}, 0) + ${a[1]})`,
};

const R_RESERVED = new Set(
  (
    "if else repeat while function for next break TRUE FALSE NULL Inf NaN NA NA_integer_ NA_real_ NA_character_ in " +
    "pi T F"
  ).split(" "),
);

export const r: Language = {
  name: "r",
  literal: (x) => {
    const text = plainLiteral(x);
    if (text === "Infinity") return "Inf";
    if (text === "-Infinity") return "(-Inf)";
    return wrapNegative(text);
  },
  constant: (name) => (name === "pi" ? "pi" : name === "e" ? "exp(1)" : undefined),
  sum: (terms) => terms.join(" + "),
  product: (factors) => factors.join(" * "),
  negate: (a) => `-${a}`,
  reciprocal: (a) => `1 / ${a}`,
  sqrt: (a) => `sqrt(${a})`,
  power: (a, b) => `${a}^${b}`,
  oddRootPower: (a, c, even) => (even ? `abs(${a})^${c}` : `(sign(${a}) * abs(${a})^${c})`),
  call(fn, args) {
    const f = R_FUNCTIONS[fn];
    if (!f) throw new DeriveError(`code generation for R does not know the function ${fn}`);
    return f(args);
  },
  declare: (name, expr) => `${name} <- ${expr}`,
  declareMutable: (name, init) => `${name} <- ${init}`,
  accumulate: (name, expr) => `${name} <- ${name} + ${expr}`,
  comment: (text) => `# ${text}`,
  reserved: R_RESERVED,
};

export function language(name: string): Language {
  switch (name) {
    case "js":
    case "javascript":
      return javascript;
    case "python":
    case "py":
      return python;
    case "r":
    case "R":
      return r;
    default:
      throw new DeriveError(`unknown language "${name}"; expected one of ${LANGUAGES.join(", ")}`);
  }
}

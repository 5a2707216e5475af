/**
 * Entry names as the sheets write them: `z_i`, `w_jk` (an entry of W: the base matches a vector
 * or matrix of the program regardless of case), `w_12` (a concrete entry, 1-based), `w_{i,k2}`
 * (indices longer than one character, separated by commas), `w12` (= w_12, as in the formula
 * language), `L` (a scalar).
 */
import { DeriveError } from "../errors.js";
import type { MatrixProgram } from "../matrix/build.js";
import { canonicalName } from "../parse/names.js";
import { arities, type Arity } from "./from-matrix.js";
import type { Index } from "./expr.js";

export interface EntryName {
  /** The program's name (W for `w_jk`), or the name as written when the program has none. */
  readonly name: string;
  readonly indices: readonly Index[];
  /** Whether the program declares or defines the name. */
  readonly known: boolean;
  /** The base as the user wrote it differs in case from the program's name (w_jk for W). */
  readonly recased: boolean;
}

/**
 * Indices of a subscript: one per character (`jk`, `12`), or comma-separated in braces; for a
 * vector a run of digits is one index (x_12 is the twelfth entry).
 */
function parseIndices(raw: string, sub: string, arity: Arity | undefined): Index[] {
  const braced = /^\{(.*)\}$/u.exec(sub);
  const inner = braced ? braced[1]! : sub;
  const listed = braced !== null && /[,\s]/u.test(inner);
  const pieces = listed ? inner.split(/[\s,]+/u).filter((p) => p !== "") : arity === 1 && /^\d+$/u.test(inner) ? [inner] : [...inner];
  if (pieces.length === 0) throw new DeriveError(`"${raw}" has an empty subscript`);
  return pieces.map((p) => {
    if (/^\d+$/u.test(p)) {
      const n = Number(p);
      if (n < 1) throw new DeriveError(`indices start at 1: "${p}" in "${raw}"`);
      return n;
    }
    if (!/^\p{L}[\p{L}\p{Nd}]*$/u.test(p)) throw new DeriveError(`"${p}" in "${raw}" is not an index: write letters (i, jk) or numbers (1, 12)`);
    return p;
  });
}

/** The program's name for a base as written: exactly, else the one name equal up to case. */
function resolveBase(base: string, names: ReadonlyMap<string, Arity>): string | undefined {
  if (names.has(base)) return base;
  const matches = [...names.keys()].filter((n) => n.toLowerCase() === base.toLowerCase());
  return matches.length === 1 ? matches[0] : undefined;
}

/** Reads an entry name against a program; throws a DeriveError that says what does not fit. */
export function parseEntryName(program: MatrixProgram, raw: string): EntryName {
  return readEntryName(arities(program), raw, (name, indices) => checkConcreteIndices(program, name, indices, raw));
}

/**
 * Reads an entry name against the arities of a program's names (matrix or index program);
 * `check` may refuse concrete indices out of range.
 */
export function readEntryName(names: ReadonlyMap<string, Arity>, raw: string, check?: (name: string, indices: readonly Index[]) => void): EntryName {
  const text = raw.trim();
  // a whole name the program knows (f_out, eta) is a scalar, not an entry of f
  const whole = safeCanonical(text);
  if (whole !== undefined && names.get(whole) === 0) return { name: whole, indices: [], known: true, recased: false };
  // w12 is w_12, as in the formula language (a program's target z_2 arrives canonical: z2)
  const digits = /^(\p{L}+)(\d+)$/u.exec(text);
  const underscore = subscriptStart(text, names);
  const digitsName = digits ? safeCanonical(digits[1]!) : undefined;
  const entryDigits = digits !== null && whole !== undefined && !names.has(whole) && digitsName !== undefined && resolveBase(digitsName, names) !== undefined;
  const split = underscore >= 0 ? [text.slice(0, underscore), text.slice(underscore + 1)] : entryDigits ? [digits[1]!, digits[2]!] : [text];
  const base = safeCanonical(split[0]!);
  if (base === undefined) throw new DeriveError(`"${raw}" is not an entry name: write z_i, w_jk, w_12 or a scalar name`);
  const name = resolveBase(base, names);
  const indices = split.length === 1 ? [] : parseIndices(raw, split[1]!, name === undefined ? undefined : names.get(name));
  if (name === undefined) {
    if (indices.length > 0) throw new DeriveError(`${base} in "${raw}" is neither declared nor defined in the program`);
    return { name: base, indices, known: false, recased: false };
  }
  const arity = names.get(name)!;
  if (indices.length !== arity) {
    const what = ["a scalar, written without indices", "a vector, with one index (x_i)", "a matrix, with two indices (w_jk)"][arity];
    throw new DeriveError(`${name} is ${what}, but "${raw}" gives ${indices.length} ${indices.length === 1 ? "index" : "indices"}`);
  }
  check?.(name, indices);
  return { name, indices, known: true, recased: name !== base };
}

/** A concrete index beyond a size the program fixes (x: vector(3), x_4) is an error. */
function checkConcreteIndices(program: MatrixProgram, name: string, indices: readonly Index[], raw: string): void {
  const shape = program.declarations.get(name)?.shape ?? program.definitions.find((d) => d.name === name)?.body.shape;
  if (!shape) return;
  const sizes = indices.length === 2 ? [shape.rows, shape.cols] : [shape.rows];
  indices.forEach((index, m) => {
    const size = sizes[m];
    if (typeof index === "number" && typeof size === "number" && index > size) {
      throw new DeriveError(`index ${index} in "${raw}" is out of range: ${name} has ${size} ${m === 0 ? "rows" : "columns"}`);
    }
  });
}

/**
 * Where the subscript starts: at the first "_" whose base is a name of the program (__proto___j
 * is an entry of __proto__, W1_{1,2} of W1), else at the first "_" (-1 without one).
 */
function subscriptStart(text: string, names: ReadonlyMap<string, Arity>): number {
  for (let at = text.indexOf("_"); at >= 0; at = text.indexOf("_", at + 1)) {
    if (text.slice(0, at).includes("{")) break;
    const base = safeCanonical(text.slice(0, at));
    if (base !== undefined && resolveBase(base, names) !== undefined) return at;
  }
  return text.indexOf("_");
}

function safeCanonical(text: string): string | undefined {
  try {
    return canonicalName(text);
  } catch {
    return undefined;
  }
}

/**
 * The entry a program asks about when its last statement is an entry name rather than an
 * expression (`W: matrix; x: vector; z = W x; z_i`): that name as written in the program
 * (canonical, so z_2 arrives as z2, which reads back as z_2), else undefined.
 */
export function targetEntryName(program: MatrixProgram): string | undefined {
  const t = program.target;
  // a concrete entry (y_2, y[2]) is built as the entry itself: its name as the program writes it
  if (t.kind === "entry" && t.arg.kind === "var") return t.arg.shape.cols === 1 ? `${t.arg.name}${t.row}` : `${t.arg.name}_${t.row}_${t.col}`;
  if (t.kind !== "var" || program.targetName !== undefined || arities(program).has(t.name)) return undefined;
  const parsed = safeEntry(program, t.name);
  return parsed?.known && parsed.indices.length > 0 ? t.name : undefined;
}

function safeEntry(program: MatrixProgram, text: string): EntryName | undefined {
  try {
    return parseEntryName(program, text);
  } catch {
    return undefined;
  }
}

/**
 * Whether `text` names an entry (one index or two) of a vector or matrix of the program: w_jk,
 * z_i, w12. The CLI's cue for index notation (`--wrt w_jk`), where `--wrt W` asks for the
 * gradient in matrix notation.
 */
export function isEntryName(program: MatrixProgram, text: string): boolean {
  const parsed = safeEntry(program, text);
  return parsed !== undefined && parsed.known && parsed.indices.length > 0;
}

/**
 * Entry names written with brackets, as in `--wrt "w[j, k]"`, in the subscript spelling the rest
 * of index notation reads: w[j, k] → w_jk, x[i] → x_i, W[1, 12] → W_{1,12}.
 */
export function bracketEntriesToNames(text: string): string {
  return text.replace(/([\p{L}_][\p{L}\p{N}_]*)\[\s*([a-z]|\d+)\s*(?:,\s*([a-z]|\d+)\s*)?\]/gu, (_m, name: string, a: string, b: string | undefined) => {
    if (b === undefined) return `${name}_${a}`;
    return a.length > 1 || b.length > 1 ? `${name}_{${a},${b}}` : `${name}_${a}${b}`;
  });
}

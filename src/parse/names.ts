/**
 * Name normalisation: the many ways people type one variable (`w_{12}`, `w_12`, `w12`; `α`,
 * `alpha`; `z_{2,out}`, `z_2_out`) become ONE canonical name. Printers write canonical names, and
 * a canonical name re-parses to itself: canonicalName(canonicalName(raw)) === canonicalName(raw).
 */
import { DeriveError } from "../errors.js";

/** Greek letters (and the usual variant forms) and their English names. */
const GREEK: ReadonlyMap<string, string> = new Map([
  ["α", "alpha"], ["β", "beta"], ["γ", "gamma"], ["δ", "delta"], ["ε", "epsilon"], ["ϵ", "epsilon"],
  ["ζ", "zeta"], ["η", "eta"], ["θ", "theta"], ["ϑ", "theta"], ["ι", "iota"], ["κ", "kappa"],
  ["λ", "lambda"], ["μ", "mu"], ["µ", "mu"], ["ν", "nu"], ["ξ", "xi"], ["ο", "omicron"],
  ["π", "pi"], ["ϖ", "pi"], ["ρ", "rho"], ["ϱ", "rho"], ["σ", "sigma"], ["ς", "sigma"],
  ["τ", "tau"], ["υ", "upsilon"], ["φ", "phi"], ["ϕ", "phi"], ["χ", "chi"], ["ψ", "psi"],
  ["ω", "omega"],
  ["Α", "Alpha"], ["Β", "Beta"], ["Γ", "Gamma"], ["Δ", "Delta"], ["Ε", "Epsilon"], ["Ζ", "Zeta"],
  ["Η", "Eta"], ["Θ", "Theta"], ["Ι", "Iota"], ["Κ", "Kappa"], ["Λ", "Lambda"], ["Μ", "Mu"],
  ["Ν", "Nu"], ["Ξ", "Xi"], ["Ο", "Omicron"], ["Π", "Pi"], ["Ρ", "Rho"], ["Σ", "Sigma"],
  ["Τ", "Tau"], ["Υ", "Upsilon"], ["Φ", "Phi"], ["Χ", "Chi"], ["Ψ", "Psi"], ["Ω", "Omega"],
]);

const GREEK_NAMES: ReadonlySet<string> = new Set(GREEK.values());

/** Whether `name` (canonical) is the English name of a Greek letter, such as `sigma` or `Delta`. */
export const isGreekLetterName = (name: string): boolean => GREEK_NAMES.has(name);

const DIGITS = /^\p{Nd}+$/u;
const SUBSCRIPT_PART = /^[\p{L}\p{M}\p{Nd}]+$/u;

/** Thrown by canonicalName for text that is not a name; the parser turns it into a DeriveError. */
/** A text that is not a name. A DeriveError, so wherever names come from (--wrt, --at, data
 * headers) the user sees the message; the parser re-throws it with the position. */
export class NameError extends DeriveError {}

/** Replaces Greek letters by their English names. */
function spellGreek(text: string): string {
  let out = "";
  for (const ch of text) out += GREEK.get(ch) ?? ch;
  return out;
}

/**
 * The canonical spelling of an identifier as typed: a letter, letters and digits, then optional
 * subscripts `_word` or `_{…}`.
 *
 *  - Greek letters become their English names: `α` → `alpha`, `σ_1` → `sigma1`, `Δ` → `Delta`.
 *  - A subscript that is a single run of digits is appended directly: `w_12`, `w_{12}` → `w12`.
 *  - Any other subscript is kept, its parts joined by underscores (braces, commas and spaces
 *    dropped): `f_{out}` → `f_out`; `z_{2,out}`, `z_2_out` → `z_2_out`; `w_{1,2}` → `w_1_2`.
 *  - A name that starts with an underscore (`__proto__`, `_tmp`) is taken as written.
 *
 * Throws NameError when `raw` is not an identifier.
 */
export function canonicalName(raw: string): string {
  if (/^[A-Za-z][A-Za-z0-9]*$/.test(raw)) return raw;
  const text = raw.normalize("NFC");
  // names such as __proto__ or _tmp are taken as written
  if (text.startsWith("_")) {
    if (/^_+[\p{L}\p{Nd}][\p{L}\p{M}\p{Nd}_]*$/u.test(text)) return text;
    throw new NameError(`"${raw}" is not a name`);
  }
  const underscore = text.indexOf("_");
  const head = underscore < 0 ? text : text.slice(0, underscore);
  if (!/^\p{L}[\p{L}\p{M}\p{Nd}]*$/u.test(head)) throw new NameError(`"${raw}" is not a name`);
  if (underscore < 0) return spellGreek(head);

  const parts: string[] = [];
  let rest = text.slice(underscore);
  while (rest.length > 0) {
    // rest starts with "_"
    if (rest.startsWith("_{")) {
      const close = rest.indexOf("}");
      if (close < 0) throw new NameError(`the subscript in "${raw}" has no closing "}"`);
      const inner = rest.slice(2, close);
      const pieces = inner.split(/[\s,_]+/u).filter((piece) => piece !== "");
      if (pieces.length === 0) throw new NameError(`"${raw}" has an empty subscript`);
      for (const piece of pieces) {
        if (!SUBSCRIPT_PART.test(piece)) {
          throw new NameError(`the subscript "{${inner}}" in "${raw}" may only contain letters, digits and commas`);
        }
        parts.push(piece);
      }
      rest = rest.slice(close + 1);
    } else {
      const next = rest.indexOf("_", 1);
      const piece = next < 0 ? rest.slice(1) : rest.slice(1, next);
      if (piece === "") throw new NameError(`"${raw}" has an empty subscript (write x_1, w_{12}, f_out)`);
      if (!SUBSCRIPT_PART.test(piece)) throw new NameError(`"${raw}" has an invalid subscript`);
      parts.push(piece);
      rest = next < 0 ? "" : rest.slice(next);
    }
    if (rest.length > 0 && !rest.startsWith("_")) throw new NameError(`"${raw}" has an invalid subscript`);
  }
  const spelled = parts.map(spellGreek);
  if (spelled.length === 0) return spellGreek(head);
  if (spelled.length === 1 && DIGITS.test(spelled[0]!)) return spellGreek(head) + spelled[0]!;
  return `${spellGreek(head)}_${spelled.join("_")}`;
}

/**
 * LaTeX for symbol names. Names follow the sheets' conventions: `alpha` is α, trailing digits
 * are an index (`w12` is w₁₂), `_` separates subscripts (`z_2_out` is z_{2,out}). A name that
 * does not have that shape is still printed, character by character, with everything but ASCII
 * letters and digits written as `\char` codes, so no name can inject LaTeX (`}`, `\`, `$`, …).
 */

/** Greek letters by their English names, as KaTeX knows them (capitals included). */
const GREEK = new Set([
  "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa", "lambda", "mu",
  "nu", "xi", "omicron", "pi", "rho", "sigma", "tau", "upsilon", "phi", "chi", "psi", "omega",
  "varepsilon", "vartheta", "varpi", "varrho", "varsigma", "varphi", "varkappa", "ell",
  "Alpha", "Beta", "Gamma", "Delta", "Epsilon", "Zeta", "Eta", "Theta", "Iota", "Kappa", "Lambda", "Mu",
  "Nu", "Xi", "Omicron", "Pi", "Rho", "Sigma", "Tau", "Upsilon", "Phi", "Chi", "Psi", "Omega",
]);

/** Greek letters typed as themselves (α, Ω), in Unicode order from U+0391 and U+03B1. */
const GREEK_LETTERS = [
  "Alpha", "Beta", "Gamma", "Delta", "Epsilon", "Zeta", "Eta", "Theta", "Iota", "Kappa", "Lambda", "Mu",
  "Nu", "Xi", "Omicron", "Pi", "Rho", "", "Sigma", "Tau", "Upsilon", "Phi", "Chi", "Psi", "Omega",
];
const GREEK_BY_CHAR = new Map<string, string>();
GREEK_LETTERS.forEach((name, i) => {
  if (name === "") return; // U+03A2 is unassigned; its lower-case slot is final sigma
  GREEK_BY_CHAR.set(String.fromCodePoint(0x391 + i), `\\${name}`);
  GREEK_BY_CHAR.set(String.fromCodePoint(0x3b1 + i), `\\${name.toLowerCase()}`);
});
GREEK_BY_CHAR.set("\u03c2", "\\varsigma");

/** Combining accents over a letter as KaTeX writes them: Ŷ (Y + U+0302) is \hat{Y}. */
const ACCENTS: ReadonlyMap<string, string> = new Map([
  ["\u0302", "hat"],
  ["\u0303", "tilde"],
  ["\u0304", "bar"],
  ["\u0307", "dot"],
  ["\u0308", "ddot"],
]);

/** An accented letter (ŷ, Ŷ, x̄, x̃), alone or before the usual index part: \hat{y}_{1}. */
function accentLatex(name: string): string | undefined {
  const m = /^([A-Za-z])(\p{M})(\d*)((?:_[A-Za-z0-9]+)*)$/u.exec(name.normalize("NFD"));
  const accent = m && ACCENTS.get(m[2]!);
  if (!m || !accent) return undefined;
  const subscripts = [...(m[3] ? [m[3]] : []), ...m[4]!.split("_").slice(1).map(subscriptLatex)];
  const head = `\\${accent}{${m[1]}}`;
  return subscripts.length === 0 ? head : `${head}_{${subscripts.join(",")}}`;
}

/** letters, optional index digits, then `_part` subscripts of letters and digits. */
const CONVENTIONAL = /^([A-Za-z]+)(\d*)((?:_[A-Za-z0-9]+)*)$/;

/** The main part of a name: a letter as is, a Greek name as its command, a word upright. */
function headLatex(word: string): string {
  if (word.length === 1) return word;
  if (GREEK.has(word)) return `\\${word}`;
  return `\\mathrm{${word}}`;
}

/** One subscript entry: indices and single letters as they are, words as text (`out`). */
function subscriptLatex(part: string): string {
  if (/^\d+$/.test(part) || part.length === 1) return part;
  if (GREEK.has(part)) return `\\${part}`;
  return `\\text{${part}}`;
}

/** A character of an unconventional name, made inert: braces keep `\char"7B` from running on. */
function safeChar(ch: string): string {
  if (/^[A-Za-z0-9]$/.test(ch)) return ch;
  const greek = GREEK_BY_CHAR.get(ch);
  if (greek) return `{${greek}}`;
  return `{\\char"${ch.codePointAt(0)!.toString(16).toUpperCase()}}`;
}

/**
 * LaTeX for a symbol name: `alpha` → `\alpha`, `w12` → `w_{12}`, `alpha1` → `\alpha_{1}`,
 * `f_out` → `f_{\text{out}}`, `z_2_out` → `z_{2,\text{out}}`, `lr` → `\mathrm{lr}`.
 */
export function latexName(rawName: string): string {
  // ℓ (the loss, as sheets write it) is \ell, also as the head of ℓ_lin
  const name = rawName.startsWith("ℓ") ? `ell${rawName.slice(1)}` : rawName;
  const accented = accentLatex(name);
  if (accented) return accented;
  const m = CONVENTIONAL.exec(name);
  if (!m) return `\\mathrm{${Array.from(name, safeChar).join("")}}`;
  const word = m[1]!;
  const index = m[2]!;
  const rest = m[3]!;
  const subscripts = [...(index ? [index] : []), ...rest.split("_").slice(1).map(subscriptLatex)];
  const head = headLatex(word);
  return subscripts.length === 0 ? head : `${head}_{${subscripts.join(",")}}`;
}

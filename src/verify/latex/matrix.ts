/**
 * LaTeX matrix claims as the text syntax of matrix programs: `\mathbf{W}^\top \mathbf{x}` is
 * `W^T x`, `\odot` is ⊙, `\lVert r \rVert^2` is `||r||^2`, bmatrix/pmatrix are bracket literals
 * (a single column a vector), `\frac{\partial L}{\partial W}` is `∂L/∂W`. The scalar LaTeX reader
 * refuses all of these (its claims are scalars), so matrix claims are translated here and decided
 * by src/verify/matrix.ts.
 */
import { DeriveError } from "../../errors.js";

/** Commands that are only spacing or sizes. */
const IGNORED = new Set(["left", "right", "big", "Big", "bigg", "Bigg", "bigl", "bigr", "Bigl", "Bigr", "biggl", "biggr", "displaystyle", "textstyle", "quad", "qquad", "middle", "limits"]);
/** Font commands whose argument is the name itself. */
const FONTS = new Set(["mathbf", "boldsymbol", "bm", "vec", "mathrm", "mathit", "mathsf", "mathbb", "operatorname", "text", "textrm", "textbf", "mathcal"]);
const GREEK = new Set([
  "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa", "lambda", "mu", "nu", "xi",
  "pi", "rho", "sigma", "tau", "upsilon", "phi", "chi", "psi", "omega", "Gamma", "Delta", "Theta", "Lambda", "Xi", "Pi",
  "Sigma", "Upsilon", "Phi", "Psi", "Omega", "varepsilon", "varphi",
]);
const FUNCTIONS = new Set(["tanh", "exp", "log", "ln", "sin", "cos", "tr", "sinh", "cosh"]);
const NORM = new Set(["lVert", "rVert", "Vert", "|"]);
const TRANSPOSE = new Set(["top", "intercal", "mathsf{T}", "T", "mathrm{T}", "mathbf{T}"]);
const ENVIRONMENTS = new Set(["pmatrix", "bmatrix", "Bmatrix", "matrix", "smallmatrix"]);

/** The text inside the braces that open at `open`, and the index after them. */
function braced(s: string, open: number): [string, number] {
  let i = open;
  while (s[i] === " ") i++;
  if (s[i] !== "{") {
    // one token: \command or one character
    const m = /^\\[A-Za-z]+|^\\.|^./su.exec(s.slice(i));
    if (!m) throw new DeriveError("an argument is missing at the end");
    return [m[0], i + m[0].length];
  }
  let depth = 0;
  for (let j = i; j < s.length; j++) {
    if (s[j] === "\\") {
      j++;
      continue;
    }
    if (s[j] === "{") depth++;
    else if (s[j] === "}" && --depth === 0) return [s.slice(i + 1, j), j + 1];
  }
  throw new DeriveError('"{" without a matching "}"');
}

export interface LatexMatrixOptions {
  /** How `\hat{Y}` is named: `Ŷ`, or `Yhat` when that is the name in scope. */
  readonly hat: (base: string) => string;
}

/** Translates one side written in LaTeX to the text syntax of matrix programs. */
export function latexToMatrixText(latex: string, options: LatexMatrixOptions): string {
  return translate(latex, options).replace(/\s+/g, " ").trim();
}

function translate(s: string, options: LatexMatrixOptions): string {
  let out = "";
  // a word must not run into the next one (r \Phi is r Phi, not rPhi)
  const word = (w: string): void => {
    if (/[\p{L}\p{Nd}_']$/u.test(out)) out += " ";
    out += w;
  };
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (c === "\\") {
      const m = /^\\([A-Za-z]+|.)/s.exec(s.slice(i))!;
      const cmd = m[1]!;
      i += m[0].length;
      if (IGNORED.has(cmd) || cmd === "," || cmd === ";" || cmd === "!" || cmd === " " || cmd === ":") {
        out += " ";
        continue;
      }
      if (NORM.has(cmd)) {
        out += " || ";
        continue;
      }
      if (cmd === "{" || cmd === "}") throw new DeriveError("sets and braces \\{ \\} are not supported");
      if (cmd === "frac" || cmd === "dfrac" || cmd === "tfrac") {
        const [num, a] = braced(s, i);
        const [den, b] = braced(s, a);
        i = b;
        const n = translate(num, options).trim();
        const d = translate(den, options).trim();
        const leibniz = /^(∂|d)\s*([\p{L}][\p{L}\p{M}\p{Nd}_{}]*)?$/u.exec(n);
        const by = /^(∂|d)\s*([\p{L}][\p{L}\p{M}\p{Nd}_{}]*)$/u.exec(d);
        if (leibniz && by && leibniz[1] === by[1]) word(`${leibniz[1]}${leibniz[2] ?? ""}/${by[1]}${by[2]} `);
        else out += ` ((${n})/(${d})) `;
        continue;
      }
      if (cmd === "nabla" && s[i] === "_") {
        // ∇_W L is ∂L/∂W; ∇_W of anything else differentiates the rest of the side
        const [sub, next] = braced(s, i + 1);
        const wrt = translate(sub, options).replace(/\s+/g, "");
        const rest = translate(s.slice(next), options).trim();
        if (rest === "") throw new DeriveError("\\nabla_{…} has nothing to differentiate");
        word(/^[\p{L}][\p{L}\p{M}\p{Nd}_]*$/u.test(rest) ? `∂${rest}/∂${wrt}` : `∂/∂${wrt} ${rest}`);
        return out;
      }
      if (cmd === "partial") {
        word("∂");
        continue;
      }
      if (cmd === "odot" || cmd === "circ") {
        out += " ⊙ ";
        continue;
      }
      if (cmd === "cdot" || cmd === "times") {
        out += " * ";
        continue;
      }
      if (cmd === "top" || cmd === "intercal") {
        // \top outside a superscript (W^\top is handled at ^); ᵀ stays a transpose where T is a name
        out += "ᵀ";
        continue;
      }
      if (cmd === "hat" || cmd === "widehat") {
        const [inner, next] = braced(s, i);
        i = next;
        const base = translate(inner, options).trim();
        if (!/^[A-Za-z]$/.test(base)) throw new DeriveError(`cannot read \\${cmd}{${inner}}: expected one letter`);
        word(options.hat(base));
        continue;
      }
      if (FONTS.has(cmd)) {
        const [inner, next] = braced(s, i);
        i = next;
        const t = translate(inner, options).trim();
        word(/^[\p{L}\p{Nd}_ ]+$/u.test(t) ? t.replace(/\s+/g, "") : `(${t})`);
        continue;
      }
      if (GREEK.has(cmd)) {
        word(cmd === "varepsilon" ? "epsilon" : cmd === "varphi" ? "phi" : cmd);
        continue;
      }
      if (cmd === "ell") {
        word("ℓ");
        continue;
      }
      if (FUNCTIONS.has(cmd)) {
        word(cmd === "ln" ? "log" : cmd);
        continue;
      }
      if (cmd === "begin") {
        const [env, next] = braced(s, i);
        if (!ENVIRONMENTS.has(env)) throw new DeriveError(`the ${env} environment is not supported in a matrix claim`);
        const end = s.indexOf(`\\end{${env}}`, next);
        if (end < 0) throw new DeriveError(`\\begin{${env}} without \\end{${env}}`);
        const rows = s.slice(next, end).split(/\\\\/).map((r) => r.trim()).filter((r) => r !== "").map((r) => r.split("&").map((x) => translate(x, options).trim()));
        if (rows.some((r) => r.some((x) => x === ""))) throw new DeriveError(`an empty entry in a ${env}`);
        const literal = rows.every((r) => r.length === 1) && rows.length > 1 ? `[${rows.map((r) => r[0]).join(", ")}]` : `[${rows.map((r) => `[${r.join(", ")}]`).join(", ")}]`;
        out += ` ${literal} `;
        i = end + `\\end{${env}}`.length;
        continue;
      }
      throw new DeriveError(`unknown command \\${cmd} in a matrix claim`);
    }
    if (c === "^") {
      const [sup, next] = braced(s, i + 1);
      i = next;
      const t = sup.trim().replace(/^\\/, "");
      if (TRANSPOSE.has(t) || TRANSPOSE.has(t.replace(/\s+/g, ""))) out += "ᵀ";
      else {
        const x = translate(sup, options).trim();
        out += /^-?\d+$/.test(x) ? `^${x}` : `^(${x})`;
      }
      continue;
    }
    if (c === "_") {
      const [sub, next] = braced(s, i + 1);
      i = next;
      const t = translate(sub, options).replace(/\s+/g, "");
      out += /^[\p{L}\p{Nd}]+$/u.test(t) ? `_${t}` : `_{${t}}`;
      continue;
    }
    if (c === "{") {
      const [inner, next] = braced(s, i);
      i = next;
      out += `(${translate(inner, options)})`;
      continue;
    }
    if (c === "|") {
      out += " || ";
      i++;
      continue;
    }
    if (c === "&") {
      i++;
      continue;
    }
    out += c;
    i++;
  }
  return out;
}

/** LaTeX that is about matrices: bold names, transposes, ⊙, norms, products of matrix environments. */
export const LATEX_MATRIX_SYNTAX = /\\(?:mathbf|boldsymbol|bm|top|intercal|odot|lVert|Vert)(?![A-Za-z])|\\\||\^\s*\{?\s*T\s*\}?(?![A-Za-z])|\\end\{[pbB]?matrix\}\s*(?:\\cdot\s*)?(?:\\begin|\\mathbf|[A-Za-z(])/;

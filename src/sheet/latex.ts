/**
 * The LaTeX writer: a standalone article (amsmath, amssymb) compiled from markdown-it's token
 * stream. Prose text is escaped, so author text can never become a LaTeX command; math (`$…$`,
 * `$$…$$`, and what chunks computed) is passed through as written. Solution blocks become a
 * `solution` environment defined in the preamble, chunk results display math and verbatim.
 */
import type { Token } from "markdown-it";
import type { Block, CheckBlock } from "./types.js";
import { checkSummary } from "./check.js";
import { sceneToLatex } from "../plot/index.js";

const SPECIAL: Record<string, string> = {
  "\\": "\\textbackslash{}",
  "{": "\\{",
  "}": "\\}",
  "#": "\\#",
  $: "\\$",
  "%": "\\%",
  "&": "\\&",
  _: "\\_",
  "^": "\\textasciicircum{}",
  "~": "\\textasciitilde{}",
};

/**
 * Unicode symbols pdflatex's input encoding does not know, as math: declared in the preamble, so
 * they work in prose, math and verbatim alike.
 */
const UNICODE_MATH: Record<string, string> = {
  "α": "\\alpha", "β": "\\beta", "γ": "\\gamma", "δ": "\\delta", "ε": "\\varepsilon", "η": "\\eta", "θ": "\\theta",
  "λ": "\\lambda", "μ": "\\mu", "π": "\\pi", "σ": "\\sigma", "τ": "\\tau", "φ": "\\varphi", "ω": "\\omega",
  "Δ": "\\Delta", "Σ": "\\Sigma", "∇": "\\nabla", "∂": "\\partial", "≈": "\\approx", "≤": "\\leq", "≥": "\\geq",
  "≠": "\\neq", "→": "\\to", "←": "\\leftarrow", "⇒": "\\Rightarrow", "×": "\\times", "·": "\\cdot", "−": "-",
  "∞": "\\infty", "±": "\\pm", "∈": "\\in", "√": "\\surd",
  // matrix programs: Φ: function, ⊙, ℓ, Ŷ, Wᵀ, ‖v‖
  "Φ": "\\Phi", "Ψ": "\\Psi", "ψ": "\\psi", "ξ": "\\xi", "ρ": "\\rho", "κ": "\\kappa", "ℓ": "\\ell",
  "⊙": "\\odot", "∘": "\\circ", "ᵀ": "^{\\top}", "‖": "\\|", "′": "'", "Ŷ": "\\hat{Y}", "ŷ": "\\hat{y}",
};

/** Prose text as LaTeX: every special character escaped. */
export function escapeLatex(text: string): string {
  return text.replace(/[\\{}#$%&_^~]/g, (c) => SPECIAL[c]!);
}

/** Display math, without blank lines (a blank line inside \[ … \] is a LaTeX error). */
const display = (latex: string): string => {
  const lines = latex.split("\n").filter((l) => l.trim() !== "");
  return lines.length === 0 ? "" : `\\[\n${lines.join("\n")}\n\\]`;
};

const UNICODE_DECLARATIONS = Object.entries(UNICODE_MATH)
  .map(([c, tex]) => `\\DeclareUnicodeCharacter{${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")}}{\\ensuremath{${tex}}}`)
  .join("\n");

/** `\end{verbatim}` inside verbatim text would end it early; a space keeps it literal. */
const verbatim = (text: string): string => `\\begin{verbatim}\n${text.replace(/\n$/, "").replace(/\\end(\s*)\{verbatim\}/g, "\\end $1{verbatim}")}\n\\end{verbatim}`;

/** A checked claim as a quote: the verdict in bold, the claim in typewriter, the details below (all escaped). */
function latexCheck(block: CheckBlock): string {
  const { headline, details } = checkSummary(block);
  const lines = [`\\textbf{${escapeLatex(headline)}:} \\texttt{${escapeLatex(block.report.claim)}}`, ...details.map((d) => `{\\small ${escapeLatex(d)}}`)];
  return `\\begin{quote}\n${lines.join("\\\\\n")}\n\\end{quote}`;
}

/** The LaTeX of one computed block. */
export function latexBlock(block: Block): string {
  switch (block.kind) {
    case "math":
      return display(block.latex);
    case "source":
      return verbatim(block.text);
    case "error":
      return `\\begin{quote}\n\\textbf{error:} ${escapeLatex(block.message)}\n\\end{quote}`;
    case "check":
      return latexCheck(block);
    case "figure":
      return sceneToLatex(block.scene);
  }
}

const HEADINGS: Record<string, string> = { h1: "section*", h2: "subsection*", h3: "subsubsection*" };

function inlineLatex(tokens: readonly Token[]): string {
  let out = "";
  // link targets, shown after the link text (markdown-it puts the href on link_open only)
  const hrefs: string[] = [];
  for (const t of tokens) {
    switch (t.type) {
      case "text":
        out += escapeLatex(t.content);
        break;
      case "softbreak":
        out += "\n";
        break;
      case "hardbreak":
        out += "\\\\\n";
        break;
      case "em_open":
        out += "\\emph{";
        break;
      case "strong_open":
        out += "\\textbf{";
        break;
      case "em_close":
      case "strong_close":
        out += "}";
        break;
      case "code_inline":
        out += `\\texttt{${escapeLatex(t.content)}}`;
        break;
      case "math_inline":
        out += `$${t.content}$`;
        break;
      case "math_inline_double":
        out += display(t.content);
        break;
      case "link_open":
        hrefs.push(String(t.attrGet("href") ?? ""));
        break;
      case "link_close": {
        const href = hrefs.pop();
        if (href) out += ` (\\texttt{${escapeLatex(href)}})`;
        break;
      }
      case "image":
        out += escapeLatex(t.content);
        break;
      default:
        if (t.children) out += inlineLatex(t.children);
        else if (t.content && !t.type.endsWith("_open") && !t.type.endsWith("_close")) out += escapeLatex(t.content);
    }
  }
  return out;
}

/** The document body for the shown tokens, chunk fences replaced by their computed blocks. */
export function latexBody(tokens: readonly Token[], chunkBlocks: ReadonlyMap<Token, readonly Block[]>): string {
  const out: string[] = [];
  // per open table: how many cells the current row has had
  const cells: number[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    switch (t.type) {
      case "heading_open": {
        const inline = tokens[i + 1]!;
        out.push(`\\${HEADINGS[t.tag] ?? "paragraph*"}{${inlineLatex(inline.children ?? [])}}\n`);
        i += 2; // inline, heading_close
        break;
      }
      case "paragraph_open":
      case "heading_close":
        break;
      case "paragraph_close":
        out.push(t.hidden ? "" : "\n\n");
        break;
      case "inline":
        out.push(inlineLatex(t.children ?? []));
        break;
      case "bullet_list_open":
        out.push("\\begin{itemize}\n");
        break;
      case "bullet_list_close":
        out.push("\\end{itemize}\n\n");
        break;
      case "ordered_list_open": {
        const start = Number(t.attrGet("start") ?? 1);
        out.push(`\\begin{enumerate}\n${Number.isInteger(start) && start !== 1 ? `\\setcounter{enumi}{${start - 1}}\n` : ""}`);
        break;
      }
      case "ordered_list_close":
        out.push("\\end{enumerate}\n\n");
        break;
      case "list_item_open":
        out.push("\\item ");
        break;
      case "list_item_close":
        out.push("\n");
        break;
      case "blockquote_open":
        out.push("\\begin{quote}\n");
        break;
      case "blockquote_close":
        out.push("\\end{quote}\n\n");
        break;
      case "hr":
        out.push("\\par\\noindent\\rule{\\linewidth}{0.4pt}\n\n");
        break;
      case "fence":
      case "code_block": {
        const blocks = chunkBlocks.get(t);
        out.push(blocks ? blocks.map(latexBlock).join("\n") + "\n\n" : verbatim(t.content) + "\n\n");
        break;
      }
      case "math_block":
        out.push(`${display(t.content)}\n\n`);
        break;
      case "math_block_eqno":
        out.push(`${display(`${t.content}\n\\tag{${escapeLatex(t.info)}}`)}\n\n`);
        break;
      case "container_solution_open":
        out.push("\\begin{solution}\n");
        break;
      case "container_solution_close":
        out.push("\\end{solution}\n\n");
        break;
      case "table_open": {
        let columns = 0;
        for (let j = i + 1; j < tokens.length && tokens[j]!.type !== "tr_close"; j++) if (tokens[j]!.type === "th_open" || tokens[j]!.type === "td_open") columns++;
        out.push(`\\begin{center}\n\\begin{tabular}{${"l".repeat(Math.max(1, columns))}}\n\\hline\n`);
        cells.push(0);
        break;
      }
      case "table_close":
        cells.pop();
        out.push("\\hline\n\\end{tabular}\n\\end{center}\n\n");
        break;
      case "tr_open":
        cells[cells.length - 1] = 0;
        break;
      case "th_open":
      case "td_open":
        if (cells[cells.length - 1]! > 0) out.push(" & ");
        cells[cells.length - 1]!++;
        break;
      case "tr_close":
        out.push(" \\\\\n");
        break;
      case "thead_close":
        out.push("\\hline\n");
        break;
      default:
        // thead/tbody/th/td closes carry no LaTeX; html is off, so no raw HTML tokens
        break;
    }
  }
  return out.join("").replace(/\n{3,}/g, "\n\n");
}

/**
 * Figures draw with pdfTeX's \\pdfliteral (src/plot/latex.ts). LuaTeX has the same operation under
 * another name; other engines get the figures' texts without their lines.
 */
const PDFLITERAL = String.raw`\ifdefined\pdfliteral\else\ifdefined\pdfextension\protected\def\pdfliteral#1{\pdfextension literal{#1}}\else\def\pdfliteral#1{}\fi\fi`;

/** The whole standalone document. */
export function latexDocument(title: string, body: string, subtitle: string): string {
  return `% ${title.replace(/\s+/g, " ")}: ${subtitle.toLowerCase()}, generated by derive; every formula and number was computed by the engine.
\\documentclass[11pt]{article}
\\usepackage[utf8]{inputenc}
\\usepackage[T1]{fontenc}
\\IfFileExists{lmodern.sty}{\\usepackage{lmodern}}{}
\\usepackage{amsmath}
\\usepackage{amssymb}
\\usepackage{graphicx}
${PDFLITERAL}
\\IfFileExists{geometry.sty}{\\usepackage[margin=2.5cm]{geometry}}{}
${UNICODE_DECLARATIONS}
\\newenvironment{solution}{\\par\\medskip\\noindent\\textbf{Solution.}\\par\\nobreak\\smallskip}{\\par\\medskip}
\\begin{document}

${body.trim()}

\\vfill
\\noindent{\\small ${escapeLatex(subtitle)}, generated by derive.}
\\end{document}
`;
}

/** The LaTeX sheet for the shown tokens. */
export function latexSheet(title: string, tokens: readonly Token[], chunkBlocks: ReadonlyMap<Token, readonly Block[]>, subtitle: string): string {
  return latexDocument(title, latexBody(tokens, chunkBlocks), subtitle);
}

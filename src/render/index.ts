/** Printers: canonical re-parseable text, and LaTeX for KaTeX. */
export { toText } from "./text.js";
export { toLatex } from "./latex.js";
export { latexName } from "./names.js";
export { programToText, programToLatex } from "./program.js";

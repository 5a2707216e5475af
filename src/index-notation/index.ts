/**
 * Index notation (issue #6): entries of a matrix program's vectors and matrices written out with
 * symbolic indices, and per-entry derivatives with Kronecker deltas, as sheet A (A5–A7) and C1
 * derive them by hand.
 *
 *   const p = parseMatrixProgram("W: matrix; x: vector; b: vector; φ: function; z = W x + b; y = φ(z); y");
 *   indexToText(entryDerivative(p, "y_i", "w_jk").result)   // δ_ij φ'(z_i) x_k
 *   const f = indexForm(p, "z_i");                          // z_i = Σ_k w_ik x_k + b_i
 */
export { entryDerivative, indexForm, type EntryDerivative, type IndexForm, type IndexOptions, type MatrixLabels } from "./derive.js";
export { indexToText, indexToLatex, derivativeToText, derivativeToLatex, equationToText, equationToLatex, type IndexPrintOptions } from "./print.js";
export { buildIndexProgram, usesSymbolicSums, type IndexDefinition, type IndexProgram } from "./program-build.js";
export { indexProgramDerivative, indexProgramSteps, indexProgramToLatex, indexProgramToText, tidy as namedSums, wrtEntry, type IndexDerivative } from "./program.js";
export { freeIndexRanges, indexProgramValue, valuesOver, type IndexProgramValues } from "./program-values.js";
export { evaluateIndex, programSizes, programValues, valueInProgram, withFunctions, type IndexValues } from "./evaluate.js";
export { bracketEntriesToNames, isEntryName, parseEntryName, targetEntryName, type EntryName } from "./entry-name.js";
export type { IExpr, IEntry, Index } from "./expr.js";

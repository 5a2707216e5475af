/**
 * Directives on matrix programs (sheets C1, C2, D4, E1): a directive is run on matrices when its
 * expression, through the sheet's definitions, involves a vector or matrix (declared, written as
 * a literal, or given as a matrix value in `at`). Results are in matrix notation; values are
 * exact where rational and written as bmatrix.
 *
 *   show L                      L = ||W X - Y||^2 …
 *   eval EXPR at W=[[…]], …     the value (a number, a column, a matrix)
 *   diff L wrt W [at …]         ∂L/∂W in matrix notation, with its value
 *   grad L wrt W2, b [at …]     one line per variable
 *   hessian J wrt w [at …]      the Hessian by a vector (E1: E[x xᵀ])
 *   steps L wrt W [chain]       the backward pass: each adjoint through its users', then substituted
 *   steps L wrt W elementwise   entry by entry with Kronecker deltas, then in matrix form (C1)
 *   diff y_i wrt x_j, w_jk      entries by entries, in index notation (δ_ij φ'(z_i) x_k)
 */
import { DeriveError } from "../errors.js";
import { matrixBackwardPass, matrixGradient, matrixHessian } from "../diff/matrix.js";
import { buildMatrixProgram, functionName, inlineProgram, usesMatrixSyntax, type MatrixProgram } from "../matrix/build.js";
import { variables, type MExpr } from "../matrix/nodes.js";
import { isScalarShape } from "../matrix/shape.js";
import { givesMatrices, matrixProgramWithValues, type MatrixBindings } from "../numeric/bindings.js";
import { valueInProgram } from "../numeric/matrix.js";
import { canonicalName, parseStatements } from "../parse/index.js";
import { alignedLatex, backwardPassLines, elementwiseEquations, matrixToLatex } from "../render/matrix.js";
import { elementwiseDerivation } from "../index-notation/elementwise.js";
import { latexName } from "../render/names.js";
import { matrixLatex } from "./format.js";
import { bracketEntriesToNames, derivativeToLatex, entryDerivative, equationToLatex, indexForm, isEntryName, targetEntryName } from "../index-notation/index.js";
import type { Block } from "./types.js";

export interface MatrixDirective {
  readonly directive: string;
  readonly expr: string;
  readonly wrt?: string;
  readonly at?: string;
  readonly keep?: string;
  /** steps: entry by entry with Kronecker deltas, then in matrix form (C1). */
  readonly elementwise?: boolean;
}

/** Statements so far plus the expression, as a matrix program, when it is one (else undefined). */
export function matrixProgramFor(statements: readonly string[], expr: string, at: string | undefined): { program: MatrixProgram; values?: MatrixBindings } | undefined {
  const text = [...statements, expr].join("\n");
  let parsed;
  try {
    parsed = parseStatements(text);
  } catch {
    return undefined;
  }
  const matrixValues = at !== undefined && givesMatrices(at);
  if (!usesMatrixSyntax(parsed) && !matrixValues) return undefined;
  let built: { program: MatrixProgram; values: Array<MatrixBindings | undefined> };
  try {
    built = matrixProgramWithValues(text, parsed, [{ text: at, what: '"at"' }]);
  } catch (err) {
    // a scalar expression the matrix builder cannot read is the scalar directives' business
    if (err instanceof DeriveError && !matrixValues && !usesMatrixSyntax(parseStatements(expr))) return undefined;
    throw err;
  }
  const { program } = built;
  const values = built.values[0];
  // the sheet declares matrices, but is this expression about them?
  const involved =
    variables(inlineProgram(program)).some((v) => !isScalarShape(v.shape)) ||
    !isScalarShape(program.target.shape) ||
    usesMatrixSyntax(parseStatements(expr)) ||
    isEntryName(program, expr.trim());
  if (!involved && !matrixValues) return undefined;
  return { program, ...(values ? { values } : {}) };
}

/** Whether a chunk line only the matrix builder accepts (a declaration, matrix syntax) is a valid statement. */
export function checkMatrixStatement(statements: readonly string[], source: string): void {
  const parsed = parseStatements([...statements, source, "0"].join("\n"));
  const last = parseStatements(source);
  if (last.length !== 1 || last[0]!.type === "expression" || last[0]!.type === "function") {
    throw new DeriveError(`a chunk line is a definition (name = …) or a declaration (W: matrix); got "${source.trim()}"`);
  }
  // a definition is built as the program's target, so its own shapes are checked strictly
  const text = [...statements, source].join("\n");
  if (last[0]!.type === "define") buildMatrixProgram(text, parseStatements(text));
  else buildMatrixProgram([...statements, source, "0"].join("\n"), parsed);
}



const nameList = (text: string | undefined): string[] | undefined =>
  text?.split(",").map((s) => canonicalName(s.trim())).filter((s) => s.length > 0);

/** The blocks of a directive on a matrix program. */
export function runMatrixDirective(d: MatrixDirective, program: MatrixProgram, values: MatrixBindings | undefined): Block[] {
  const fname = functionName(program);
  const lhs = fname !== undefined && /^[\p{L}_][\p{L}\p{N}_]*$/u.test(d.expr.trim()) ? latexName(fname) : matrixToLatex(program.target);
  const f = fname === undefined ? "f" : latexName(fname);
  const keepText = d.keep?.trim();
  const keep = keepText === undefined || keepText === "all" ? ("all" as const) : keepText === "none" ? new Set<string>() : new Set(nameList(keepText));
  const value = (e: MExpr): string => (values ? ` = ${matrixLatex(valueInProgram(program, e, values))}` : "");
  const wrt = (): string[] => {
    const given = nameList(d.wrt);
    if (!given || given.length === 0) throw new DeriveError(`${d.directive} ${d.expr} needs "wrt" with the variables`);
    return given;
  };
  const partial = (w: string): string => `\\frac{\\partial ${f}}{\\partial ${latexName(w)}}`;
  switch (d.directive) {
    case "show": {
      // an entry (z_i) is written out in index notation: z_i = Σ_k w_ik x_k + b_i
      const target = targetEntryName(program);
      if (target !== undefined) {
        const form = indexForm(program, target);
        return [{ kind: "math", latex: equationToLatex(form.lhs, form.rhs) }];
      }
      return [{ kind: "math", latex: `${lhs} = ${matrixToLatex(inlineProgram(program))}` }];
    }
    case "eval":
      return [{ kind: "math", latex: `${lhs}${value(program.target)}` }];
    case "diff":
    case "grad": {
      // an entry by an entry (y_i by w_jk): index notation with Kronecker deltas (A5–A7)
      const entryWrt = d.wrt === undefined ? undefined : bracketEntriesToNames(d.wrt).split(",").map((w) => w.trim());
      if (entryWrt && entryWrt.every((w) => isEntryName(program, w))) {
        // an entry (y_i) or a scalar (L) by entries
        const of = targetEntryName(program) ?? (isScalarShape(program.target.shape) ? d.expr.trim() : undefined);
        if (of === undefined) throw new DeriveError(`${d.directive} ${d.expr}: an entry or a scalar is differentiated by an entry (diff y_i wrt w_jk, diff L wrt W_ij)`);
        return [{ kind: "math", latex: alignedLatex(entryWrt.map((w) => ({ latex: derivativeToLatex(entryDerivative(program, of, w)) }))) }];
      }
      const names = wrt();
      const g = matrixGradient(program, names, { keep });
      return [{ kind: "math", latex: alignedLatex(names.map((w) => ({ latex: `${partial(w)} = ${matrixToLatex(g.get(w)!)}${value(g.get(w)!)}` }))) }];
    }
    case "hessian": {
      const names = wrt();
      if (names.length !== 1) throw new DeriveError("the Hessian of a matrix program is taken by one vector");
      const h = matrixHessian(program, names[0]!, { keep });
      return [{ kind: "math", latex: `\\nabla^{2}_{${latexName(names[0]!)}} ${f} = ${matrixToLatex(h)}${value(h)}` }];
    }
    case "steps": {
      if (d.elementwise) return wrt().map((w) => ({ kind: "math" as const, latex: alignedLatex(elementwiseEquations(elementwiseDerivation(program, w))) }));
      return [{ kind: "math", latex: alignedLatex(backwardPassLines(matrixBackwardPass(program, wrt()), fname ?? "f")) }];
    }
    default:
      throw new DeriveError(`${d.directive} does not take vectors or matrices yet`);
  }
}

/**
 * Directives on index programs (sums up to a symbolic n, D3 for any n): a directive is run in
 * index notation when its expression, or a definition it names, has such a sum.
 *
 *   show f                     f = (y - Σ_{i=1}^{n} σ(z_i))^2
 *   diff f wrt w_kl, b_k       ∂f/∂w_kl = -2 (y - Σ_{i=1}^{n} σ(z_i)) σ(z_k) (1 - σ(z_k)) x_l
 *   grad L wrt w, b [at …]     one line per variable, with its value (a vector for ∂/∂x_j)
 *   eval L at x=[1, 2], …      the value
 *   steps f wrt w_kl           the chain through the definitions that use w, entry by entry
 */
import { DeriveError } from "../errors.js";
import {
  buildIndexProgram,
  derivativeToLatex,
  equationToLatex,
  indexProgramDerivative,
  indexProgramSteps,
  indexToLatex,
  namedSums,
  usesSymbolicSums,
  valuesOver,
  wrtEntry,
  type IExpr,
  type IndexProgram,
} from "../index-notation/index.js";
import { entry } from "../index-notation/expr.js";
import { parseMatrixBindings } from "../numeric/bindings.js";
import { canonicalName, parseStatements } from "../parse/index.js";
import { alignedLatex, elementwiseEquations } from "../render/matrix.js";
import { matrixLatex } from "./format.js";
import type { Block } from "./types.js";

export interface IndexDirective {
  readonly directive: string;
  readonly expr: string;
  readonly wrt?: string;
  readonly at?: string;
  readonly order?: string;
}

/**
 * The index program of `expr` through the sheet's index definitions, when the expression has a
 * sum up to a symbolic bound or names one of those definitions (else undefined).
 */
export function indexProgramFor(definitions: readonly { source: string; name: string | undefined }[], expr: string): IndexProgram | undefined {
  let own;
  try {
    own = parseStatements(expr);
  } catch {
    return undefined;
  }
  const defined = new Set(definitions.map((d) => d.name).filter((n): n is string => n !== undefined));
  if (!usesSymbolicSums(own) && !mentions(expr, defined)) return undefined;
  const text = [...definitions.map((d) => d.source), expr].join("\n");
  return buildIndexProgram(text, parseStatements(text));
}

/** The names a text mentions: its words, canonically (words that are no names left out). */
export function mentionedNames(text: string): string[] {
  return (text.match(/[\p{L}_][\p{L}\p{M}\p{N}_]*/gu) ?? []).flatMap((w) => {
    try {
      return [canonicalName(w)];
    } catch {
      return [];
    }
  });
}

/** Whether text names any of the names (as a whole word, canonically). */
export function mentions(text: string, names: ReadonlySet<string>): boolean {
  return names.size > 0 && mentionedNames(text).some((w) => names.has(w));
}


/** The blocks of a directive on an index program. */
export function runIndexDirective(d: IndexDirective, program: IndexProgram): Block[] {
  const values = d.at === undefined ? undefined : parseMatrixBindings(d.at, '"at"', new Set(program.definitions.map((x) => x.name))).values;
  const value = (e: IExpr, order: readonly string[] = []): string => (values ? ` = ${matrixLatex(valuesOver(program, e, values, order))}` : "");
  const bounds = { bounds: true } as const;
  const wrt = (): string[] => {
    const given = d.wrt?.split(",").map((w) => w.trim()).filter((w) => w !== "");
    if (given && given.length > 0) return given;
    if (d.directive === "grad") return [...program.inputs];
    throw new DeriveError(`${d.directive} ${d.expr} needs "wrt" with the variables`);
  };
  const definition = program.definitions.find((x) => x.name === program.targetName);
  switch (d.directive) {
    case "show": {
      if (definition) return [{ kind: "math", latex: equationToLatex(entry(definition.name, definition.name, definition.indices), namedSums(program, definition.body), bounds) }];
      return [{ kind: "math", latex: indexToLatex(namedSums(program, program.target), bounds) }];
    }
    case "eval": {
      if (!values) throw new DeriveError(`eval needs values: eval ${d.expr} at x=[…], …`);
      const lhs = indexToLatex(program.targetName !== undefined ? program.target : namedSums(program, program.target), bounds);
      return [{ kind: "math", latex: `${lhs}${value(program.target)}` }];
    }
    case "diff": {
      const order = Number(d.order ?? "1");
      if (!Number.isInteger(order) || order < 1) throw new DeriveError("order must be a whole number ≥ 1");
      const entries = wrt().map((w) => wrtEntry(program, w));
      const sequence = entries.flatMap((e) => Array<typeof e>(order).fill(e));
      const r = indexProgramDerivative(program, sequence);
      return [{ kind: "math", latex: `${derivativeToLatex(r, bounds)}${value(r.result, [...program.target.free, ...freeLetters(sequence)])}` }];
    }
    case "grad": {
      const lines = wrt().map((w) => {
        const e = wrtEntry(program, w);
        const r = indexProgramDerivative(program, [e]);
        return { latex: `${derivativeToLatex(r, bounds)}${value(r.result, [...program.target.free, ...freeLetters([e])])}` };
      });
      return [{ kind: "math", latex: alignedLatex(lines) }];
    }
    case "steps":
      // the chain through the definitions that use each variable, entry by entry
      return wrt().map((w) => ({ kind: "math" as const, latex: alignedLatex(elementwiseEquations(indexProgramSteps(program, wrtEntry(program, w)), bounds)) }));
    default:
      throw new DeriveError(`${d.directive} does not take sums up to a symbolic bound yet (diff, grad, eval, show and steps do)`);
  }
}

const freeLetters = (entries: readonly IExpr[]): string[] => entries.flatMap((e) => (e.kind === "entry" ? e.indices.filter((i): i is string => typeof i === "string") : []));

/**
 * Runs the chunk language. A chunk holds program statements (definitions, which stay in scope for
 * the rest of the sheet) and directives, one per line:
 *
 *   diff EXPR wrt x[, y] [order n] [keep names|all] [at x=1, y=2]
 *   grad EXPR [wrt a, b] [keep …] [at …]
 *   hessian EXPR [wrt …] [at …]
 *   eval EXPR at x=1, y=2
 *   simplify EXPR
 *   show EXPR
 *   steps EXPR wrt x[, y] [chain] [target EXPR]     (step by step; chain: the backprop view;
 *                                                    on matrices `elementwise`: entry by entry, as C1)
 *   check CLAIM [at x=1, y=2]                        (the verifier's verdict; see check.ts)
 *   propagate relu 2/n; tanh 1/n layers 20 width 256 samples 64   (Monte Carlo; see propagate-directive.ts)
 *   plot contour|loss|training|boundary|gradients …  (figures; see plot-directives.ts)
 *
 * EXPR is any expression, usually a defined name (`L`) or a function (`f`, standing for f(x1, x2)).
 */
import { DeriveError } from "../errors.js";
import { parseBindings } from "../numeric/bindings.js";
import { parseProgram, parseExpression, parseStatements, canonicalName } from "../parse/index.js";
import { usesMatrixSyntax } from "../matrix/build.js";
import type { Statement } from "../parse/syntax.js";
import { checkMatrixStatement, matrixProgramFor, runMatrixDirective } from "./matrix-directives.js";
import { indexProgramFor, mentionedNames, mentions, runIndexDirective } from "./index-directives.js";
import { usesSymbolicSums, type IndexProgram } from "../index-notation/index.js";
import { inline, type Program } from "../program/index.js";
import { gradient, hessian } from "../diff/index.js";
import { programDerivative } from "../diff/sequence.js";
import { simplify } from "../simplify/index.js";
import { evaluate } from "../numeric/index.js";
import { latexName, toLatex } from "../render/index.js";
import { stepsToLatex } from "../render/steps.js";
import { derivation } from "../steps/index.js";
import type { Expr } from "../ast/index.js";
import type { Block, Chunk, ChunkOptions } from "./types.js";
import { checkError, runCheck } from "./check.js";
import { runPropagate } from "./propagate-directive.js";
import { runDescent, runFdcheck, runTrain, type TrainedModel } from "./numeric-directives.js";
import { runPlot } from "./plot-directives.js";
import { formatNumber } from "./format.js";
import { conditionNumber, symmetricEigenvalues } from "../numeric/eigen.js";

const DIRECTIVES = ["diff", "grad", "hessian", "eval", "simplify", "show", "descent", "fdcheck", "steps", "train", "check", "propagate", "plot"] as const;
type Directive = (typeof DIRECTIVES)[number];
const CLAUSES = ["wrt", "at", "keep", "order", "from", "lr", "steps", "tol", "table", "chain", "target", "params", "data", "restarts", "seed", "guard", "eigen", "layers", "width", "samples", "every", "networks", "over", "levels", "threshold", "log", "elementwise"] as const;
/**
 * The clause words each directive knows. Only those split a directive line, so elsewhere the same
 * words may be names in the expression (`diff data*w wrt w`).
 */
const DIRECTIVE_CLAUSES: Readonly<Record<Directive, readonly Clause[]>> = {
  diff: ["wrt", "order", "keep", "at"],
  grad: ["wrt", "keep", "at"],
  hessian: ["wrt", "keep", "at", "eigen"],
  eval: ["at"],
  simplify: [],
  show: [],
  descent: ["from", "lr", "steps", "tol", "at", "table"],
  fdcheck: ["wrt", "at"],
  steps: ["wrt", "chain", "target", "keep", "elementwise"],
  train: ["params", "data", "restarts", "lr", "steps", "tol", "seed", "guard"],
  check: ["at"],
  propagate: ["layers", "width", "samples", "networks", "seed", "every"],
  plot: ["from", "lr", "steps", "tol", "at", "over", "levels", "wrt", "threshold", "log"],
};
type Clause = (typeof CLAUSES)[number];

interface Command {
  readonly directive: Directive;
  readonly expr: string;
  readonly clauses: ReadonlyMap<Clause, string>;
}

/**
 * Which programs see a line of a sheet: every one, matrix programs only (a declaration, a
 * definition in terms of vectors or matrices), or index programs only (a definition with a sum up
 * to a symbolic n, or one in terms of such definitions).
 */
type SeenBy = "all" | "matrix" | "index";

/** A definition or declaration line of a sheet, with the name it defines. */
interface ScopeLine {
  readonly source: string;
  readonly name: string | undefined;
  readonly seenBy: SeenBy;
}

/** Definitions seen so far in the sheet, as source statements. */
export class SheetScope {
  private lines: ScopeLine[] = [];
  /** The result of the sheet's last train directive (what `plot training` and `plot boundary` draw). */
  trained: TrainedModel | undefined;

  /** The scalar definitions (what scalar directives build their programs from). */
  private get statements(): string[] {
    return this.lines.filter((l) => l.seenBy === "all").map((l) => l.source);
  }

  /** Every statement, scalar and matrix, in order. */
  private get allStatements(): string[] {
    return this.lines.filter((l) => l.seenBy !== "index").map((l) => l.source);
  }

  private get hasMatrices(): boolean {
    return this.lines.some((l) => l.seenBy === "matrix");
  }

  private get indexLines(): ScopeLine[] {
    return this.lines.filter((l) => l.seenBy === "index");
  }

  /**
   * Adds a definition after checking it parses together with the earlier ones. A name defined
   * (or declared) again replaces its earlier definition from here on, as in a notebook: each
   * problem of a sheet may call its output y.
   */
  define(source: string): void {
    const name = definedName(source);
    const before = this.lines;
    if (name !== undefined) this.lines = this.lines.filter((l) => l.name !== name);
    try {
      this.defineNew(source, name);
    } catch (err) {
      this.lines = before;
      throw err;
    }
  }

  private defineNew(source: string, name: string | undefined): void {
    const st = parseStatements(source);
    if (st.length === 1 && st[0]!.type === "declare" && st[0]!.kind.text === "scalar" && !st[0]!.sizes) {
      // `x: scalar` after x was a vector: the earlier meaning is gone (define removed it); scalars
      // need no declaration, so nothing else is kept
      return;
    }
    if (usesSymbolicSums(st) || (st[0]?.type === "define" && mentions(source, new Set(this.indexLines.map((l) => l.name).filter((n): n is string => n !== undefined))))) {
      // a sum up to n (or a definition in terms of one): only index programs see it
      indexProgramFor(this.indexLines, source);
      this.lines.push({ source, name, seenBy: "index" });
      return;
    }
    if (usesMatrixSyntax(st) || this.aboutMatrices(source, st)) {
      // a declaration or a matrix definition: only matrix programs see it
      checkMatrixStatement(this.allStatements, source);
      this.lines.push({ source, name, seenBy: "matrix" });
      return;
    }
    this.defineScalar(source);
    this.lines.push({ source, name, seenBy: "all" });
  }

  /** Whether a definition is in terms of vectors or matrices declared or defined before (Y = W X). */
  private aboutMatrices(source: string, parsed: readonly Statement[]): boolean {
    if (!this.hasMatrices || parsed[0]?.type !== "define") return false;
    return matrixProgramFor(this.allStatements, source, undefined) !== undefined;
  }

  /** The matrix program of `expr` through every statement so far, if it is about matrices. */
  matrixProgram(expr: string, at: string | undefined): ReturnType<typeof matrixProgramFor> {
    if (!this.hasMatrices && !(at ?? "").includes("[") && !usesMatrixSyntax(parseStatements(expr))) return undefined;
    return matrixProgramFor(this.allStatements, expr, at);
  }

  /** The index program of `expr` through the sheet's index definitions, if it is about them. */
  indexProgram(expr: string): IndexProgram | undefined {
    return indexProgramFor(this.indexLines, expr);
  }

  /** Checks a scalar definition against the scalar ones before it. */
  private defineScalar(source: string): void {
    const statements = this.statements;
    const before = statements.length === 0 ? 0 : parseProgram([...statements, "0"].join("\n")).definitions.length;
    const program = parseProgram([...statements, source].join("\n"));
    if (program.targetName === undefined || program.definitions.length !== before + 1) {
      throw new DeriveError(`a chunk line is a definition (name = …, f(x) = …) or a directive (${DIRECTIVES.join(", ")}); got "${source.trim()}"`);
    }
  }

  /** A program of every definition so far with `expr` as its target. */
  program(expr: string): Program {
    return parseProgram([...this.statements, expr].join("\n"));
  }

  /** The definition lines so far, in order (the context of a `check`). */
  get definitions(): readonly string[] {
    return this.statements;
  }

  /**
   * The context of a `check`: the scalar definitions, and the matrix declarations and definitions
   * too when the claim names one of them (so a scalar claim is never read as a matrix one because
   * of an earlier problem's vectors).
   */
  checkContext(claim: string): readonly string[] {
    const matrixNames = new Set(this.lines.filter((l) => l.seenBy === "matrix").map((l) => l.name));
    // the d of d/dx is no name
    const mentioned = mentionedNames(claim.replace(/\bd\/d(?=\p{L})/gu, " "));
    if (mentioned.some((w) => matrixNames.has(w))) return this.allStatements;
    // definitions with sums up to n (D3's z_i, f) when the claim names them; the verifier reads
    // them in index notation
    const index = this.indexLines;
    const indexNames = new Set(index.flatMap((l) => (l.name === undefined ? [] : [l.name, l.name.replace(/_[^_]*$/u, "")])));
    const about = (w: string): boolean => indexNames.has(w) || indexNames.has(w.replace(/_[^_]*$/u, ""));
    return mentioned.some(about) ? [...this.statements, ...index.map((l) => l.source)] : this.statements;
  }

  /** The function definition called `name`, if there is one (so `grad f` means grad f(x1, x2)). */
  functionParams(name: string): readonly string[] | undefined {
    const p = parseProgram([...this.statements, "0"].join("\n"));
    return p.definitions.find((d) => d.name === name && d.params.length > 0)?.params;
  }
}

/** The name a definition or declaration line gives a meaning to (undefined for anything else). */
function definedName(source: string): string | undefined {
  try {
    const st = parseStatements(source);
    const first = st[0];
    if (st.length !== 1 || !first || first.type === "expression") return undefined;
    return canonicalName(first.name.text);
  } catch {
    return undefined;
  }
}

function parseCommand(line: string): Command | undefined {
  const m = /^(\w+)\s+(.*)$/.exec(line.trim());
  if (!m || !(DIRECTIVES as readonly string[]).includes(m[1]!)) return undefined;
  // split at clause keywords standing as whole words: "L wrt c keep f at y=1"
  const words = DIRECTIVE_CLAUSES[m[1] as Directive];
  const parts = words.length === 0 ? [m[2]!] : m[2]!.split(new RegExp(`\\s+(?=(?:${words.join("|")})(?:\\s|$))`));
  const clauses = new Map<Clause, string>();
  for (const part of parts.slice(1)) {
    const [word, ...rest] = part.split(/\s+/);
    if (clauses.has(word as Clause)) throw new DeriveError(`"${word}" given twice`);
    clauses.set(word as Clause, rest.join(" "));
  }
  return { directive: m[1] as Directive, expr: parts[0]!.trim(), clauses };
}


function names(text: string | undefined): string[] | undefined {
  return text?.split(",").map((s) => canonicalName(s.trim())).filter((s) => s.length > 0);
}

/** How the expression is named on the left of an equation: a defined name, f(x1, x2), or itself. */
function subject(scope: SheetScope, exprText: string): { program: Program; lhs: string; bare: boolean } {
  const params = scope.functionParams(exprText);
  const text = params ? `${exprText}(${params.join(", ")})` : exprText;
  const program = scope.program(text);
  const isName = /^[\p{L}_][\p{L}\p{N}_]*$/u.test(exprText);
  const lhs = isName ? (params ? `${latexName(canonicalName(exprText))}(${params.map(latexName).join(", ")})` : latexName(canonicalName(exprText))) : toLatex(program.target);
  return { program, lhs, bare: isName };
}

const partial = (of: string, wrt: readonly string[], bare: boolean): string => {
  const counts = new Map<string, number>();
  for (const w of wrt) counts.set(w, (counts.get(w) ?? 0) + 1);
  const n = wrt.length;
  const den = [...counts].map(([w, k]) => `\\partial ${latexName(w)}${k > 1 ? `^{${k}}` : ""}`).join(" \\, ");
  const top = n > 1 ? `\\partial^{${n}}` : "\\partial";
  return bare ? `\\frac{${top} ${of}}{${den}}` : `\\frac{${top}}{${den}} \\left(${of}\\right)`;
};

const pointLatex = (at: ReadonlyMap<string, number>): string =>
  [...at].map(([k, v]) => `${latexName(k)} = ${formatNumber(v)}`).join(",\\ ");

function runCommand(cmd: Command, scope: SheetScope, options: ChunkOptions): Block[] {
  // a claim is no expression: it goes to the verifier before anything parses it
  if (cmd.directive === "check") return runCheck(cmd.expr, scope.checkContext(cmd.expr), cmd.clauses.get("at"), options.expect ?? "valid");
  // configurations, not an expression of the sheet
  if (cmd.directive === "propagate") return runPropagate(cmd.expr, cmd.clauses);
  // `plot KIND EXPR`: the kind comes first, and `plot training` has no expression
  if (cmd.directive === "plot") return runPlot(cmd.expr, cmd.clauses, { program: (e) => subject(scope, e).program, trained: scope.trained });
  const indexed = scope.indexProgram(cmd.expr);
  if (indexed) {
    const c = cmd.clauses;
    return runIndexDirective({ directive: cmd.directive, expr: cmd.expr, wrt: c.get("wrt"), at: c.get("at"), order: c.get("order") }, indexed);
  }
  const matrix = scope.matrixProgram(cmd.expr, cmd.clauses.get("at"));
  if (matrix) {
    const c = cmd.clauses;
    return runMatrixDirective({ directive: cmd.directive, expr: cmd.expr, wrt: c.get("wrt"), at: c.get("at"), keep: c.get("keep"), elementwise: c.has("elementwise") }, matrix.program, matrix.values);
  }
  const { program, lhs, bare } = subject(scope, cmd.expr);
  const keepText = cmd.clauses.get("keep");
  const keep = keepText?.trim() === "all" ? ("all" as const) : new Set(names(keepText) ?? []);
  const atText = cmd.clauses.get("at");
  const at = atText === undefined ? undefined : parseBindings(atText, '"at"', program);
  const value = (e: Expr): number => evaluate(inline(program, e), at ?? new Map());
  const atSuffix = at ? `\\quad \\text{at } ${pointLatex(at)}` : "";
  switch (cmd.directive) {
    case "show":
      return [{ kind: "math", latex: `${lhs} = ${toLatex(inline(program))}` }];
    case "simplify":
      return [{ kind: "math", latex: `${lhs} = ${toLatex(simplify(inline(program)))}` }];
    case "eval": {
      if (!at) throw new DeriveError(`eval needs values: eval ${cmd.expr} at x=…`);
      return [{ kind: "math", latex: `${lhs} = ${formatNumber(value(program.target))}${atSuffix}` }];
    }
    case "diff": {
      const wrt = names(cmd.clauses.get("wrt"));
      if (!wrt?.length) throw new DeriveError(`diff needs variables: diff ${cmd.expr} wrt x`);
      const order = Number(cmd.clauses.get("order") ?? "1");
      if (!Number.isInteger(order) || order < 1) throw new DeriveError(`order must be a whole number ≥ 1`);
      const sequence = wrt.flatMap((w) => Array<string>(order).fill(w));
      const d = programDerivative(program, sequence, { keep });
      // with a point: the value there; without: the derivative symbolically
      const rhs = at ? `${formatNumber(value(d))}${atSuffix}` : toLatex(d);
      return [{ kind: "math", latex: `${partial(lhs, sequence, bare)} = ${rhs}` }];
    }
    case "grad": {
      const wrt = names(cmd.clauses.get("wrt")) ?? [...program.variables];
      const g = gradient(program, wrt, { keep });
      // with a point: the numeric gradient there; without: each component symbolically
      if (at) return [{ kind: "math", latex: `\\nabla ${lhs} = \\begin{pmatrix} ${g.map((c) => formatNumber(value(c))).join(" \\\\ ")} \\end{pmatrix}${atSuffix}` }];
      return wrt.map((w, i) => ({ kind: "math" as const, latex: `${partial(lhs, [w], bare)} = ${toLatex(g[i]!)}` }));
    }
    case "descent":
      return runDescent(program, bare ? latexName(canonicalName(cmd.expr)) : lhs, cmd.clauses);
    case "fdcheck":
      return runFdcheck(program, cmd.clauses);
    case "train": {
      const { blocks, model } = runTrain(program, cmd.clauses);
      scope.trained = model;
      return blocks;
    }
    case "steps": {
      const wrt = names(cmd.clauses.get("wrt"));
      if (!wrt?.length) throw new DeriveError(`steps needs variables: steps ${cmd.expr} wrt x`);
      const targetText = cmd.clauses.get("target");
      const d = derivation(program, wrt, {
        level: cmd.clauses.has("chain") ? "chain" : "full",
        target: targetText === undefined ? undefined : parseExpression(targetText),
      });
      return [{ kind: "math", latex: stepsToLatex(d) }];
    }
    case "hessian": {
      const wrt = names(cmd.clauses.get("wrt")) ?? [...program.variables];
      const h = hessian(program, wrt, { keep });
      const cell = (e: Expr): string => (at ? formatNumber(value(e)) : toLatex(e));
      const blocks: Block[] = [{ kind: "math", latex: `\\nabla^{2} ${lhs} = \\begin{pmatrix} ${h.map((row) => row.map(cell).join(" & ")).join(" \\\\ ")} \\end{pmatrix}${atSuffix}` }];
      if (cmd.clauses.has("eigen")) {
        if (!at) throw new DeriveError(`eigenvalues need a point: hessian ${cmd.expr} at … eigen`);
        const lambdas = symmetricEigenvalues(h.map((row) => row.map(value)));
        const kappa = conditionNumber(lambdas);
        const list = lambdas.map((l, i) => `\\lambda_{${i + 1}} = ${formatNumber(l)}`).join(",\\ ");
        const condition = Number.isFinite(kappa) ? `,\\quad \\kappa = \\lambda_{1}/\\lambda_{${lambdas.length}} = ${formatNumber(kappa)}` : `,\\quad \\text{not positive definite}`;
        blocks.push({ kind: "math", latex: `${list}${condition}` });
      }
      return blocks;
    }
  }
}

/** Runs one chunk: definitions go into the scope, directives produce blocks. */
export function runChunk(chunk: Chunk, scope: SheetScope): { blocks: Block[]; errors: Array<{ line: number; message: string }> } {
  const blocks: Block[] = [];
  const errors: Array<{ line: number; message: string }> = [];
  if (chunk.options.echo) blocks.push({ kind: "source", text: chunk.source });
  const lines = chunk.source.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === "" || line.trim().startsWith("#")) continue;
    try {
      const cmd = parseCommand(line);
      if (cmd) {
        const produced = runCommand(cmd, scope, chunk.options);
        blocks.push(...produced);
        // a claim with the wrong verdict stays visible as its block and fails the build
        for (const b of produced) {
          const message = b.kind === "check" ? checkError(b) : undefined;
          if (message !== undefined) errors.push({ line: chunk.firstSourceLine + i, message });
        }
      } else scope.define(line);
    } catch (err) {
      if (!(err instanceof DeriveError)) throw err;
      const message = err.message;
      errors.push({ line: chunk.firstSourceLine + i, message });
      blocks.push({ kind: "error", message });
    }
  }
  return { blocks, errors };
}

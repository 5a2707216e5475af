/**
 * The backprop chain view: for a program with intermediate definitions, ∂L/∂c is written as the
 * product of local derivatives along each path L → f_out → f_in → c (the sum over paths when
 * there are several), then each local derivative, then the product substituted and simplified.
 * Local derivatives are written in the intermediate names (∂f_out/∂f_in = f_out (1 - f_out)) and,
 * over several variables, each is derived once: later gradients reuse it, as a teacher would.
 */
import { ZERO, add, freeSymbols, mul, substitute, sym, type Expr } from "../ast/index.js";
import { differentiate } from "../diff/index.js";
import { getFunction } from "../functions/index.js";
import { DeriveError } from "../errors.js";
import { valueDefinitions, type Program } from "../program/index.js";
import { operatorCount, simplify } from "../simplify/index.js";
import { Placeholders } from "./operators.js";
import { dependenceTest } from "./trace.js";
import type { Derivation, StepLine } from "./types.js";

/** The name the chain view starts from: the program's target as a defined name. */
export function targetName(program: Program): string | undefined {
  const defs = valueDefinitions(program);
  if (program.targetName) return program.targetName;
  if (program.target.kind === "sym" && defs.has(program.target.name)) return program.target.name;
  return undefined;
}

/** Every path from `from` to the variable `wrt` through definitions, each as its list of names. */
export function paths(program: Program, from: string, wrt: string): string[][] {
  const defs = valueDefinitions(program);
  const out: string[][] = [];
  const walk = (path: string[]): void => {
    const last = path[path.length - 1]!;
    if (last === wrt) {
      out.push(path);
      return;
    }
    const def = defs.get(last);
    if (!def) return;
    for (const s of freeSymbols(def.body)) {
      if (s.name === wrt || (defs.has(s.name) && dependenceTest(program, wrt)(sym(s.name)))) walk([...path, s.name]);
    }
  };
  walk([from]);
  return out;
}

/** The rule a local derivative mostly rests on: the outermost operation of the definition. */
function outerRule(body: Expr, wrt: string): string {
  switch (body.kind) {
    case "num":
      return "constant";
    case "sym":
      return body.name === wrt ? "variable" : "constant";
    case "add":
      return "sum rule";
    case "mul":
      return body.args.filter((a) => freeSymbols(a).some((s) => s.name === wrt)).length > 1 ? "product rule" : "constant multiple rule";
    case "pow":
      return "power rule";
    case "call": {
      const rule = getFunction(body.fn).rule;
      return body.args.every((a) => a === sym(wrt) || !freeSymbols(a).some((s) => s.name === wrt)) ? rule : `chain rule, ${rule}`;
    }
  }
}

/** Simplifies, then writes definitions' bodies as their names again (the simplifier may rebuild them). */
function finish(e: Expr, toNames: ReadonlyMap<Expr, Expr>): Expr {
  let out = simplify(substitute(e, toNames));
  for (let i = 0; i < 3; i++) {
    const again = substitute(out, toNames);
    if (again === out) break;
    out = simplify(again);
  }
  return out;
}

/** The chain view of ∂(target)/∂w for each w of `wrt`, in order, sharing local derivatives. */
export function chainDerivation(program: Program, wrt: readonly string[]): Derivation {
  const root = targetName(program);
  if (root === undefined) throw new DeriveError("the chain view needs a program whose target is a defined name (L = …; L); use --steps full for a single expression");
  const defs = valueDefinitions(program);
  for (const w of wrt) if (defs.has(w)) throw new DeriveError(`--steps chain differentiates by inputs; ${w} is defined in the program (use diff --wrt ${w})`);
  const ph = new Placeholders();
  const toNames = new Map<Expr, Expr>();
  for (const [name, d] of defs) if (d.body.kind !== "sym" && d.body.kind !== "num") {
    toNames.set(d.body, sym(name));
    const s = simplify(d.body);
    if (s.kind !== "sym" && s.kind !== "num" && !toNames.has(s)) toNames.set(s, sym(name));
  }
  const lines: StepLine[] = [];
  const local = new Map<string, Expr>(); // "n|m" → ∂n/∂m in names
  const results: Array<{ wrt: string; result: Expr }> = [];
  const L = sym(root);

  for (const w of wrt) {
    const routes = paths(program, root, w).sort((a, b) => (a.join(" ") < b.join(" ") ? -1 : 1));
    const lhs = ph.get(L, w, "total", "partial");
    if (routes.length === 0) {
      lines.push({ lhs, rhs: ZERO, rule: `${root} does not depend on ${w}` });
      results.push({ wrt: w, result: ZERO });
      continue;
    }
    const edges = (path: readonly string[]): Array<[string, string]> => path.slice(1).map((m, i) => [path[i]!, m]);
    const chainTerms = routes.map((path) => mul(...edges(path).map(([n, m]) => ph.get(sym(n), m, "local", "partial"))));
    const chain = add(...chainTerms);
    lines.push({ lhs, rhs: chain, rule: routes.length > 1 ? `chain rule, sum over the ${routes.length} paths` : "chain rule", ...(routes.length > 1 ? { terms: chainTerms } : {}) });
    // each local derivative once, in the order the chain meets them
    for (const path of routes) {
      for (const [n, m] of edges(path)) {
        const key = `${n}|${m}`;
        if (local.has(key)) continue;
        const body = defs.get(n)!.body;
        // the plain rule result unless simplifying shortens it a lot: (1-y)/(1-f) - y/f reads better than (y/f - 1)/(f - 1)
        const plain = substitute(differentiate(body, m), toNames);
        const simplified = finish(plain, toNames);
        const d = operatorCount(plain) <= 2 * operatorCount(simplified) ? plain : simplified;
        local.set(key, d);
        lines.push({ lhs: ph.get(sym(n), m, "local", "partial"), rhs: d, rule: outerRule(body, m) });
      }
    }
    const substitutedTerms = routes.map((path) => mul(...edges(path).map(([n, m]) => local.get(`${n}|${m}`)!)));
    const substituted = add(...substitutedTerms);
    lines.push({ lhs, rhs: substituted, rule: "substitution of the local derivatives", ...(routes.length > 1 ? { terms: substitutedTerms } : {}) });
    const result = finish(substituted, toNames);
    if (result !== substituted) lines.push({ rhs: result, rule: "simplification" });
    results.push({ wrt: w, result });
  }
  return { lines, operators: ph.operators, results, notes: [], program };
}

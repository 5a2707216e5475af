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

/** A path split where a worked-out ∂L/∂n takes over: `from` is the root or that n, `edges` the rest. */
interface Term {
  readonly from: string;
  readonly edges: ReadonlyArray<readonly [string, string]>;
}

const edgesOf = (path: readonly string[]): Array<[string, string]> => path.slice(1).map((m, i) => [path[i]!, m]);

/**
 * The chain view of ∂(target)/∂w for each w of `wrt`, in order, sharing local derivatives.
 *
 * Backprop the way a teacher writes it: a total derivative ∂L/∂n of an intermediate name that the
 * simplifier shortens (∂L/∂f_in = ∂L/∂f_out · ∂f_out/∂f_in = f_out - y) gets lines of its own, once,
 * and every later gradient whose paths pass through n starts from it (∂L/∂u1 = ∂L/∂f_in · ∂f_in/∂u1)
 * instead of multiplying the same factors again.
 *
 * A local derivative ∂n/∂m holds n's other defined names fixed. When one of them also depends on
 * m (n = x (a + 2x) with a = -x), `d/dx(n)` would read as the total derivative, which is not what
 * the path means; that factor is then written as its value in the chain line, worked out on the spot.
 */
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
  const deltas = new Map<string, Expr>(); // n → ∂L/∂n, simplified, for the names worth a line
  const judged = new Set<string>();
  const results: Array<{ wrt: string; result: Expr }> = [];
  const L = sym(root);
  const dependence = new Map<string, (e: Expr) => boolean>();
  const dependsOn = (e: Expr, v: string): boolean => {
    let test = dependence.get(v);
    if (!test) dependence.set(v, (test = dependenceTest(program, v)));
    return test(e);
  };

  const localValue = (n: string, m: string): Expr => {
    const key = `${n}|${m}`;
    const hit = local.get(key);
    if (hit) return hit;
    // the plain rule result unless simplifying shortens it a lot: (1-y)/(1-f) - y/f reads better than (y/f - 1)/(f - 1)
    const plain = substitute(differentiate(defs.get(n)!.body, m), toNames);
    const simplified = finish(plain, toNames);
    const d = operatorCount(plain) <= 2 * operatorCount(simplified) ? plain : simplified;
    local.set(key, d);
    return d;
  };
  /** Whether ∂n/∂m (others held fixed) differs from reading d/dm(n) through the definitions. */
  const ambiguous = (n: string, m: string): boolean =>
    freeSymbols(defs.get(n)!.body).some((s) => s.name !== m && defs.has(s.name) && dependsOn(s, m));
  const localFactor = (n: string, m: string): Expr => (ambiguous(n, m) ? localValue(n, m) : ph.get(sym(n), m, "local", "partial"));
  const routesTo = (t: string): string[][] => paths(program, root, t).sort((a, b) => (a.join(" ") < b.join(" ") ? -1 : 1));

  /** Each route from the deepest worked-out ∂L/∂n on it; routes meeting there again are one term. */
  const termsOf = (routes: readonly string[][]): Term[] => {
    const out = new Map<string, Term>();
    for (const path of routes) {
      let j = 0;
      for (let k = path.length - 2; k > 0; k--) if (deltas.has(path[k]!)) {
        j = k;
        break;
      }
      const rest = path.slice(j);
      out.set(rest.join(" "), { from: path[j]!, edges: edgesOf(rest) });
    }
    return [...out.values()];
  };
  const head = (t: Term): Expr[] => (t.from === root ? [] : [ph.get(L, t.from, "total", "partial")]);
  const chainFactors = (t: Term): Expr[] => [...head(t), ...t.edges.map(([n, m]) => localFactor(n, m))];
  const valueOf = (t: Term): Expr => mul(...(t.from === root ? [] : [deltas.get(t.from)!]), ...t.edges.map(([n, m]) => localValue(n, m)));
  const reused = (terms: readonly Term[]): string[] => [...new Set(terms.filter((t) => t.from !== root).map((t) => t.from))];
  const sumLine = (lhs: Expr | undefined, terms: readonly Term[], part: (t: Term) => Expr, rule: string): StepLine => {
    const parts = terms.map(part);
    return { ...(lhs ? { lhs } : {}), rhs: add(...parts), rule, ...(parts.length > 1 ? { terms: parts } : {}) };
  };

  const chainRule = (terms: readonly Term[], routes: number): string => {
    const notes = [
      ...(routes > 1 ? [`sum over the ${routes} paths`] : []),
      ...reused(terms).map((n) => `reusing d/d${n}(${root})`),
      ...terms.flatMap((x) => x.edges.filter(([n, m]) => ambiguous(n, m)).map(([n, m]) => `d/d${m}(${n}) with the other names held fixed worked out on the spot`)),
    ];
    return ["chain rule", ...notes].join(", ");
  };

  /** The lines of ∂L/∂t: the chain, the new local derivatives, new worked-out ∂L/∂n, the product. */
  const gradient = (t: string): Expr => {
    const lhs = ph.get(L, t, "total", "partial");
    const routes = routesTo(t);
    if (routes.length === 0) {
      lines.push({ lhs, rhs: ZERO, rule: `${root} does not depend on ${t}` });
      return ZERO;
    }
    let terms = termsOf(routes);
    const factors = terms.map(chainFactors);
    lines.push({ lhs, rhs: add(...factors.map((f) => mul(...f))), rule: chainRule(terms, routes.length), factors });
    const chainLine = lines.length;
    // each local derivative once, in the order the chain meets them
    for (const term of terms) for (const [n, m] of term.edges) {
      if (local.has(`${n}|${m}`) || ambiguous(n, m)) continue;
      lines.push({ lhs: ph.get(sym(n), m, "local", "partial"), rhs: localValue(n, m), rule: outerRule(defs.get(n)!.body, m) });
    }
    // intermediate names two or more steps below the root, shallow first, so deeper ones build on them
    for (const path of routes) for (let k = 2; k < path.length - 1; k++) judge(path[k]!);
    terms = termsOf(routes);
    const reusedNow = reused(terms);
    const substituted = add(...terms.map(valueOf));
    // the left side again only when other equations came in between
    lines.push(sumLine(lines.length === chainLine ? undefined : lhs, terms, valueOf, `substitution of the local derivatives${reusedNow.length > 0 ? ` and ${reusedNow.map((n) => `d/d${n}(${root})`).join(", ")}` : ""}`));
    const result = finish(substituted, toNames);
    if (result !== substituted) lines.push({ rhs: result, rule: "simplification" });
    return result;
  };

  /** Gives ∂L/∂n lines of its own when simplifying shortens the product of its factors. */
  function judge(n: string): void {
    if (judged.has(n)) return;
    judged.add(n);
    const routes = routesTo(n);
    if (routes.some((r) => r.length <= 2)) return; // a local derivative of L already
    const product = add(...termsOf(routes).map(valueOf));
    // worth a line when it at least halves the product (f_out - y), not for a sign moved into a factor
    if (2 * operatorCount(finish(product, toNames)) > operatorCount(product)) return;
    deltas.set(n, gradient(n));
  }

  for (const w of wrt) results.push({ wrt: w, result: gradient(w) });
  return { lines, operators: ph.operators, results, notes: [], program };
}

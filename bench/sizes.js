#!/usr/bin/env node
// Output size of our simplified derivatives against SymPy's simplify(diff(...)) on the exercise
// sheets' problems (bench/lib/problems.js), both counted by the rule of our operatorCount (SymPy's
// side by bench/sympy_sizes.py, which applies the rule to SymPy's tree). Skipped, with a note,
// when python3 or SymPy is missing. Build first (`npm run build`: this imports ../dist).
// Runs when executed directly; `main()` is exported for bench/run.js. Sizes only, no timings.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { SIZE_PROBLEMS, programText } from "./lib/problems.js";
import { table } from "./lib/table.js";

const lib = await import("../dist/index.js");

const SYMPY_SCRIPT = fileURLToPath(new URL("./sympy_sizes.py", import.meta.url));
const SYMPY_TIMEOUT_MS = 90_000;

const HEADER = `Output size: ours vs SymPy simplify(diff(...)), exercise-sheet problems.
Both sides counted by our operatorCount rule on the canonical tree (a - b = a + (-1)*b: 2 operators,
a/b = a*b^-1: 2, -a = (-1)*a: 1; n-ary + and * count n - 1, ^ counts 1, f(u) counts 1; numbers and
symbols 0; shared subexpressions counted each time). SymPy gets sigmoid as a function whose
derivative is sigmoid*(1 - sigmoid), like ours. Derivatives are written in the inputs (no kept names).
  ours        operatorCount(simplify(derivative))
  SymPy       the same count of SymPy's simplify(diff(...))
  SymPy best  the smallest of SymPy's simplify, factor and cancel (simplify minimises its own
              count_ops, so factor is sometimes shorter by this count)
  DAG         distinct nodes (ours dagSize; SymPy: distinct subexpressions)
  flag        LONGER: ours > SymPy simplify;  (best): ours > SymPy best only`;

/** Our simplified derivative of a problem. */
function ours(p) {
  const program = lib.parseProgram(programText(p.defs, p.target));
  return lib.simplify(lib.programDerivative(program, p.wrt));
}

/** SymPy's results by id, or a reason why there are none. */
function sympy() {
  const probe = spawnSync("python3", ["-c", "import sympy"], { encoding: "utf8" });
  if (probe.error) return { skipped: "python3 not found" };
  if (probe.status !== 0) return { skipped: "SymPy is not installed (pip install sympy)" };
  const run = spawnSync("python3", [SYMPY_SCRIPT], {
    input: JSON.stringify(SIZE_PROBLEMS),
    encoding: "utf8",
    timeout: SYMPY_TIMEOUT_MS,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (run.error || run.status !== 0) return { skipped: `bench/sympy_sizes.py failed: ${run.error?.message ?? run.stderr.trim().split("\n").pop()}` };
  const out = JSON.parse(run.stdout);
  return { version: out.sympy, timeout: out.timeout, byId: new Map(out.results.map((r) => [r.id, r])) };
}

export async function main() {
  console.log(HEADER);
  const mine = SIZE_PROBLEMS.map((p) => {
    const d = ours(p);
    return { id: p.id, ops: lib.operatorCount(d), dag: lib.dagSize(d), text: lib.toText(d) };
  });
  const sp = sympy();
  if (sp.skipped) console.log(`SymPy column skipped: ${sp.skipped}`);
  else console.log(`SymPy ${sp.version}`);

  const rows = [];
  const flagged = [];
  const opaque = [];
  const errors = [];
  const results = mine.map((o) => {
    const s = sp.byId?.get(o.id);
    let flag = "";
    if (s && s.error === undefined) {
      if (o.ops > s.ops) flag = "LONGER";
      else if (o.ops > s.best_ops) flag = "(best)";
      if (flag) flagged.push({ ours: o, sympy: s, flag });
      if (s.method !== "simplify") opaque.push(o.id);
    } else if (s) errors.push(`${o.id}: ${s.error}`);
    const mark = s?.method && s.method !== "simplify" ? " †" : "";
    rows.push([
      o.id + mark,
      String(o.ops),
      s?.ops !== undefined ? String(s.ops) : "-",
      s?.best_ops !== undefined ? String(s.best_ops) : "-",
      String(o.dag),
      s?.dag !== undefined ? String(s.dag) : "-",
      flag,
    ]);
    return { ...o, sympy: s ?? null, flag };
  });
  console.log(table(["problem", "ours", "SymPy", "SymPy best", "DAG ours", "DAG SymPy", "flag"], rows));
  const total = (key) => results.reduce((n, r) => n + (r.sympy && r.sympy[key] !== undefined ? r.sympy[key] : 0), 0);
  if (!sp.skipped) {
    const ourTotal = results.filter((r) => r.sympy?.ops !== undefined).reduce((n, r) => n + r.ops, 0);
    console.log(`total ops: ours ${ourTotal}, SymPy ${total("ops")}, SymPy best ${total("best_ops")}`);
  }
  if (opaque.length > 0) {
    console.log(`† SymPy's simplify ran past ${sp.timeout} s with tanh (it tries exp rewrites); simplified with tanh opaque (derivative 1 - tanh^2) instead`);
  }
  for (const e of errors) console.log(`SymPy failed: ${e}`);
  for (const f of flagged) {
    console.log(`${f.flag} ${f.ours.id}: ours ${f.ours.ops}, SymPy ${f.sympy.ops}, SymPy best ${f.sympy.best_ops}`);
    console.log(`  ours:  ${f.ours.text}`);
    console.log(`  SymPy: ${f.sympy.text}`);
    if (f.sympy.best_method !== "simplify") console.log(`  SymPy ${f.sympy.best_method}: ${f.sympy.best_text}`);
  }
  return { sympy: sp.skipped ? { skipped: sp.skipped } : { version: sp.version }, problems: results };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();

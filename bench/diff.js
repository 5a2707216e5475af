#!/usr/bin/env node
// Differentiation speed and output size, ours against mathjs (`derivative` + `simplify`), on
// sheet B's network loss (9 parameters) and on sigmoid chains of depth 3, 10 and 30.
// Build first (`npm run build`: this imports ../dist). Runs when executed directly; `main()` is
// exported for bench/run.js. Every number is measured in this run; see bench/README.md.
import { fileURLToPath } from "node:url";
import * as math from "mathjs";
import { DIFF_CASES } from "./lib/cases.js";
import { mathjsSizes } from "./lib/sizes.js";
import { table } from "./lib/table.js";
import { median, ms, ratio, timer } from "./lib/timing.js";

const lib = await import("../dist/index.js");

const OURS_BUDGET_MS = 60_000;

const HEADER = `Differentiation: ours vs mathjs 15 (derivative, then simplify), same formulas.
mathjs has no sigmoid: it gets sigmoid(u) written as 1/(1 + exp(-u)) (4 operators where we count 1).
Times are medians in milliseconds, each side in worker threads (each of our cases in a fresh one).
  1st         ours, the first run in a fresh thread (JIT cold, nothing memoised): a one-shot CLI call
  cold        after JIT warm-up, each run with variables renamed afresh (r1x, r2x, ...), so our
              hash-consing table and simplification memo never help: the fair comparison
  warm        ours, the same names again: the memo tables answer (repeated work in one process)
  mathjs      mathjs after warm-up, fresh names too (it memoises nothing); "> t" = over budget
  ×           mathjs / ours cold (how many times faster we are; < 1: slower)
  runs        timed runs (ours cold / mathjs)
  ops         operator count of the output written as a tree (sum over the gradient's entries),
              both sides counted by our rule (mathjs's tree rebuilt with our constructors)
  DAG         distinct nodes of the output (shared subexpressions once)`;

function mathjsCell(r, budgetMs) {
  if (r.error) return "error";
  if (overBudget(r)) return `> ${ms(budgetMs)}`;
  return ms(median(r.cold));
}

/** Whether mathjs ran past its budget without a timed run (or was skipped for a smaller case that did). */
const overBudget = (m) => m !== undefined && (m.skipped === true || (m.timedOut && m.cold.length === 0));

/** Checks that mathjs's trees are counted by our rule: a formula parsed by both gives one count. */
function checkCounting() {
  const formulas = ["a - b/c", "-(x^2) + 2*y*z", "1/(1 + exp(-(w*x)))", "tanh(a)*b - c/2", "(x*y)^2 - 3", "log(1 - f)*(1 - y)"];
  const bad = [];
  for (const f of formulas) {
    const ours = lib.treeOperatorCount(lib.parseExpression(f));
    const theirs = mathjsSizes(lib, [math.parse(f)]).ops;
    if (ours !== theirs) bad.push(`${f}: ours ${ours}, mathjs rebuilt ${theirs}`);
  }
  return bad;
}

export async function main() {
  console.log(HEADER);
  const badCounts = checkCounting();
  const results = [];
  const byId = new Map();
  const oursTimer = timer("ours", { fresh: true });
  const mathjsTimer = timer("mathjs", { fresh: false });
  for (const c of DIFF_CASES) {
    const ours = await oursTimer.time(c.id, { hardMs: OURS_BUDGET_MS });
    let mj;
    let budgetMs = c.mathjs.budgetMs;
    if (c.mathjs.same) {
      mj = { ...byId.get(c.mathjs.same).mathjs, same: c.mathjs.same };
      budgetMs = DIFF_CASES.find((d) => d.id === c.mathjs.same).mathjs.budgetMs;
    } else if (c.mathjs.skipAfter && overBudget(byId.get(c.mathjs.skipAfter)?.mathjs)) {
      mj = { first: NaN, cold: [], warm: [], timedOut: false, skipped: true };
    } else {
      mj = await mathjsTimer.time(c.id, { hardMs: budgetMs });
    }
    const r = { id: c.id, label: c.label, ours, mathjs: mj, mathjsBudgetMs: budgetMs };
    results.push(r);
    byId.set(c.id, r);
    process.stdout.write(".");
  }
  await mathjsTimer.close();
  process.stdout.write("\n");

  const rows = results.map((r) => {
    const o = r.ours;
    const m = r.mathjs;
    const oursCold = median(o.cold);
    // over budget (or skipped because a smaller chain was): mathjs takes longer than the budget
    const speedup = overBudget(m) ? `> ${ratio(r.mathjsBudgetMs / oursCold)}` : ratio(median(m.cold) / oursCold);
    const mark = m.same ? " ²" : m.skipped ? " ³" : "";
    return [
      r.label + (o.renameInvariant === false ? " ¹" : "") + mark,
      o.error ? "error" : ms(o.first),
      ms(oursCold),
      ms(median(o.warm)),
      mathjsCell(m, r.mathjsBudgetMs),
      speedup,
      `${o.cold.length}/${m.cold.length}`,
      o.sizes ? String(o.sizes.ops) : "-",
      m.sizes ? String(m.sizes.ops) : "-",
      o.sizes ? String(o.sizes.dag) : "-",
      m.sizes ? String(m.sizes.dag) : "-",
    ];
  });
  console.log(
    table(["case", "ours 1st", "ours cold", "ours warm", "mathjs", "×", "runs", "ops ours", "ops mathjs", "DAG ours", "DAG mathjs"], rows),
  );
  const notes = [];
  if (results.some((r) => r.ours.renameInvariant === false)) notes.push("¹ renamed variables gave different output sizes: the cold times are of a slightly different problem");
  if (results.some((r) => r.mathjs.same)) notes.push('² mathjs has no kept names: the same (inlined) mathjs run as the row above');
  if (results.some((r) => r.mathjs.skipped)) notes.push("³ not run: mathjs exceeded its budget on the smaller chain (a depth-k chain contains the smaller ones)");
  for (const r of results) {
    if (r.ours.error) notes.push(`ours failed on ${r.label}: ${r.ours.error.split("\n")[0]}`);
    if (r.mathjs.error) notes.push(`mathjs failed on ${r.label}: ${r.mathjs.error.split("\n")[0]}`);
    if (r.mathjs.timedOut && r.mathjs.cold.length > 0) notes.push(`mathjs on ${r.label}: stopped at the ${ms(r.mathjsBudgetMs)} ms budget after ${r.mathjs.cold.length} run(s)`);
  }
  const slower = results.filter((r) => median(r.mathjs.cold) < median(r.ours.cold));
  for (const r of slower) notes.push(`SLOWER than mathjs: ${r.label} (ours ${ms(median(r.ours.cold))} ms, mathjs ${ms(median(r.mathjs.cold))} ms)`);
  const longer = results.filter((r) => r.mathjs.sizes && r.ours.sizes && !r.mathjs.same && r.ours.sizes.ops > r.mathjs.sizes.ops);
  for (const r of longer) notes.push(`LONGER than mathjs: ${r.label} (ops ours ${r.ours.sizes.ops}, mathjs ${r.mathjs.sizes.ops})`);
  for (const b of badCounts) notes.push(`counting mismatch (mathjs rebuilt vs ours): ${b}`);
  if (notes.length > 0) console.log(notes.join("\n"));
  return { cases: results, countingCheck: badCounts.length === 0 ? "ok" : badCounts };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();

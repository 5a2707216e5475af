// Times cases of bench/diff.js on one side ("ours" or "mathjs") in a worker thread: a separate
// V8 isolate with its own module instances, so the parent can stop a case that runs past its
// budget (worker.terminate()). bench/lib/timing.js gives each of our cases a fresh worker (our
// hash-consing table and simplification memo start empty) and reuses one mathjs worker for
// several cases (mathjs memoises nothing, and loading it takes seconds).
//
// Messages: {type: "ready"} once the modules are loaded; then per job ({caseId, softBudgetMs}
// from the parent): {type: "first", ms}, {type: "sample", phase: "cold" | "warm", ms},
// {type: "done", sizes, renameInvariant} or {type: "error", message}.
//
// Phases of a job (every run of "first", warm-up and "cold" uses names no earlier run used, so
// nothing is found in our memo tables; see prefixNames in cases.js):
//   first:   the first run of the case, with the names as written (for ours: JIT cold, memo
//            cold, what a one-shot CLI call pays). Its output gives the sizes.
//   warm-up: more fresh-name runs until 600 ms or 20 runs, not recorded (V8 keeps optimising
//            for a while: shorter warm-ups left the first cold samples several times slower);
//            skipped when the first run took over 1 s (JIT warm-up is then a small part of a
//            run, and the first run also counts as a cold sample).
//   cold:    fresh-name runs until 500 ms and 3 runs, or 30 runs; no new run is started that
//            would likely end past `softBudgetMs`.
//   warm:    (ours only) the last cold run's names again, until 200 ms and 3 runs, or 30 runs:
//            parsing and differentiation hit the hash-consing table, simplification its memo.
import { parentPort, workerData } from "node:worker_threads";
import { DIFF_CASES, prefixNames, runMathjs, runOurs } from "./cases.js";
import { exprSizes, mathjsSizes } from "./sizes.js";

const { side } = workerData;
const post = (m) => parentPort.postMessage(m);

const lib = await import("../../dist/index.js");
const math = side === "mathjs" ? await import("mathjs") : undefined;

function job({ caseId, softBudgetMs }) {
  const theCase = DIFF_CASES.find((c) => c.id === caseId);
  const spec = side === "ours" ? theCase.ours : theCase.mathjs;
  const run = side === "ours" ? (n) => runOurs(lib, spec, n) : (n) => runMathjs(math, spec, n);

  let fresh = 0;
  const nextNames = () => prefixNames(`r${++fresh}`);
  const timed = (n) => {
    const t0 = performance.now();
    const out = run(n);
    return [performance.now() - t0, out];
  };

  const start = performance.now();
  const [firstMs, firstOut] = timed(prefixNames(""));
  post({ type: "first", ms: firstMs });

  let cold = 0;
  if (firstMs > 1000) {
    post({ type: "sample", phase: "cold", ms: firstMs });
    cold = 1;
  } else {
    const t = performance.now();
    for (let i = 0; i < 20 && performance.now() - t < 600; i++) timed(nextNames());
  }

  let names;
  let last = firstMs;
  let lastOut;
  const coldStart = performance.now();
  while (cold < 30 && !(cold >= 3 && performance.now() - coldStart >= 500)) {
    if (cold >= 1 && performance.now() - start + last > softBudgetMs) break;
    names = nextNames();
    [last, lastOut] = timed(names);
    post({ type: "sample", phase: "cold", ms: last });
    cold++;
  }

  if (side === "ours" && names) {
    const warmStart = performance.now();
    for (let i = 0; i < 30 && !(i >= 3 && performance.now() - warmStart >= 200); i++) {
      post({ type: "sample", phase: "warm", ms: timed(names)[0] });
    }
  }

  // sizes, with the names as written; and whether a renamed run gave the same sizes
  const measure = side === "ours" ? (out) => exprSizes(lib, out) : (out) => mathjsSizes(lib, out);
  const sizes = measure(firstOut);
  const renamed = lastOut ? measure(lastOut) : sizes;
  const renameInvariant = sizes.ops === renamed.ops && sizes.dag === renamed.dag;
  post({ type: "done", sizes, renameInvariant });
}

parentPort.on("message", (m) => {
  try {
    job(m);
  } catch (err) {
    post({ type: "error", message: err instanceof Error ? err.stack ?? err.message : String(err) });
  }
});
post({ type: "ready" });

#!/usr/bin/env node
// Build time of the exercise sheets: `derive sheet derivations` into a temporary folder, as the
// user runs it (a fresh `node bin/derive.js` process each time), in seconds and as a ratio to a
// baseline measured in the same run: the start of one `derive parse x` process (loading Node and
// the library, the fixed cost every command pays). Also the HTML-only build against all three
// formats, and each sheet on its own, to see where the time goes.
// Build first (`npm run build`: bin/derive.js runs ../dist). Runs when executed directly; `main()`
// is exported for bench/run.js. No thresholds: the numbers are for reading.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { table } from "./lib/table.js";
import { median, ratio } from "./lib/timing.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.join(here, "..");
const derive = path.join(root, "bin", "derive.js");
const sheetsDir = path.join(root, "derivations");

const HEADER = `Sheet build time (fresh derive processes, medians; ratios to the baseline of this run).
  baseline      one \`derive parse x\` process: Node start-up and loading the library
  seconds       wall-clock time of the command
  × baseline    seconds / baseline: the build's own work in units of a process start
  chunk errors  must be 0 (npm run sheets fails otherwise)`;

/** Wall-clock seconds of one `derive …` process; throws when it cannot run at all. */
function run(args) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [derive, ...args], { cwd: root, encoding: "utf8" });
  const seconds = (performance.now() - t0) / 1000;
  if (r.error) throw r.error;
  // status 2 with "error: …sheet:line" lines: chunk errors (still a complete build to time)
  const errors = (r.stderr.match(/^error: /gm) ?? []).length;
  return { seconds, status: r.status, errors };
}

/** Median seconds of `reps` runs, each into a fresh output folder when `out` is asked for. */
function timed(args, reps, { out = false } = {}) {
  const samples = [];
  let last;
  for (let i = 0; i < reps; i++) {
    const dir = out ? mkdtempSync(path.join(tmpdir(), "derive-bench-sheets-")) : undefined;
    try {
      last = run(dir ? [...args, "--out", dir] : args);
    } finally {
      if (dir) rmSync(dir, { recursive: true, force: true });
    }
    samples.push(last.seconds);
  }
  return { seconds: median(samples), runs: reps, status: last.status, errors: last.errors };
}

export async function main() {
  console.log(HEADER);
  const baseline = timed(["parse", "x"], 5);
  const cases = [
    { name: "all sheets, html", result: timed(["sheet", sheetsDir, "--format", "html"], 3, { out: true }) },
    { name: "all sheets, html,tex,md", result: timed(["sheet", sheetsDir, "--format", "html,tex,md"], 3, { out: true }) },
  ];
  const files = readdirSync(sheetsDir).filter((f) => f.endsWith(".md") && !f.startsWith("README")).sort();
  for (const f of files) cases.push({ name: `  ${f}, html,tex,md`, result: timed(["sheet", path.join(sheetsDir, f), "--format", "html,tex,md"], 1, { out: true }) });
  const rows = [
    ["baseline (derive parse x)", baseline.seconds.toFixed(2), "1", String(baseline.runs), "-"],
    ...cases.map(({ name, result }) => [name, result.seconds.toFixed(2), ratio(result.seconds / baseline.seconds), String(result.runs), String(result.errors)]),
  ];
  console.log(table(["command", "seconds", "× baseline", "runs", "chunk errors"], rows));
  const [html, all] = cases;
  console.log(`all formats / html only: ${ratio(all.result.seconds / html.result.seconds)}`);
  return {
    baselineSeconds: baseline.seconds,
    cases: cases.map(({ name, result }) => ({ name: name.trim(), ...result, ratioToBaseline: result.seconds / baseline.seconds })),
    allFormatsOverHtml: all.result.seconds / html.result.seconds,
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();

#!/usr/bin/env node
// Runs every benchmark file in bench/ (each `*.js` here but this one, in name order), one after
// the other, and writes all their results to bench/results.json (not committed).
//
//   npm run bench                  build, then run them all
//   node bench/run.js diff sizes   run some of them (names without .js); needs a build
//
// A benchmark file exports `main()`, which prints its own table and returns its data.
import { readdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import { fileURLToPath, pathToFileURL } from "node:url";
import path from "node:path";

const here = path.dirname(fileURLToPath(import.meta.url));
const wanted = process.argv.slice(2);
const files = readdirSync(here)
  .filter((f) => f.endsWith(".js") && f !== "run.js")
  .filter((f) => wanted.length === 0 || wanted.includes(f.replace(/\.js$/, "")))
  .sort();

const cpus = os.cpus();
const header = {
  date: new Date().toISOString(),
  node: process.version,
  platform: `${process.platform} ${process.arch}`,
  cpus: `${cpus.length} × ${cpus[0]?.model ?? "unknown"}`,
  loadAverage: os.loadavg().map((x) => Number(x.toFixed(2))),
};
console.log(`derive benchmarks: node ${header.node}, ${header.platform}, ${header.cpus}, load average ${header.loadAverage.join(" ")}`);
console.log("Timings are medians from this run; compare ratios (measured together), not absolute times across machines.");

const results = {};
const summary = [];
let failed = false;
const start = performance.now();
for (const f of files) {
  console.log(`\n=== bench/${f} ===`);
  const t0 = performance.now();
  try {
    const mod = await import(pathToFileURL(path.join(here, f)).href);
    if (typeof mod.main !== "function") {
      console.log("(no main() export: skipped)");
      continue;
    }
    results[f] = await mod.main();
    summary.push(`${f} ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  } catch (err) {
    failed = true;
    results[f] = { error: err instanceof Error ? err.stack ?? err.message : String(err) };
    summary.push(`${f} FAILED`);
    console.log(`FAILED: ${err instanceof Error ? err.message : String(err)}`);
  }
}
const seconds = (performance.now() - start) / 1000;
console.log(`\n${summary.join(", ")}; total ${seconds.toFixed(1)} s`);

const out = path.join(here, "results.json");
writeFileSync(out, `${JSON.stringify({ ...header, seconds, results }, null, 2)}\n`);
console.log(`results: ${path.relative(process.cwd(), out)}`);
if (failed) process.exitCode = 1;

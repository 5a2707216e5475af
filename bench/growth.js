#!/usr/bin/env node
// Size of d/dx of the depth-k sigmoid chain sigmoid(w_k * sigmoid(... sigmoid(w_1 * x))) for
// k = 3, 10, 30, 100: the DAG must grow linearly in k (every level's forward value is shared),
// while the same expression written out as a tree grows quadratically.
// Build first (`npm run build`: this imports ../dist). Runs when executed directly; `main()` is
// exported for bench/run.js. Sizes only: deterministic, no timings.
import { fileURLToPath } from "node:url";
import { chainText } from "./lib/problems.js";
import { table } from "./lib/table.js";
import { ratio } from "./lib/timing.js";

const lib = await import("../dist/index.js");

export const DEPTHS = [3, 10, 30, 100];

const HEADER = `Growth of d/dx of the depth-k sigmoid chain (sizes only).
  input DAG     distinct nodes of the chain itself
  raw DAG       distinct nodes of differentiate(chain, x), unsimplified
  DAG           distinct nodes after simplify: must grow linearly in k
  DAG/k         that size per level (settles to a constant when growth is linear)
  growth        DAG(k) / DAG(previous k), against the depth ratio k / previous k
  tree ops      operator count of the simplified result written out as a tree (quadratic in k)`;

export async function main() {
  console.log(HEADER);
  const rows = [];
  const data = [];
  let previous;
  for (const k of DEPTHS) {
    const e = lib.parseExpression(chainText(k));
    const raw = lib.differentiate(e, "x");
    const s = lib.simplify(raw);
    const d = { depth: k, input: lib.dagSize(e), raw: lib.dagSize(raw), dag: lib.dagSize(s), treeOps: lib.treeOperatorCount(s) };
    data.push(d);
    rows.push([
      String(k),
      String(d.input),
      String(d.raw),
      String(d.dag),
      ratio(d.dag / k),
      previous ? `${ratio(d.dag / previous.dag)} (k ×${ratio(k / previous.depth)})` : "-",
      String(d.treeOps),
    ]);
    previous = d;
  }
  console.log(table(["depth k", "input DAG", "raw DAG", "DAG", "DAG/k", "growth", "tree ops"], rows));
  const first = data[0];
  const last = data[data.length - 1];
  const linear = last.dag / first.dag <= (1.5 * last.depth) / first.depth;
  console.log(
    linear
      ? `linear: DAG(${last.depth}) / DAG(${first.depth}) = ${ratio(last.dag / first.dag)} for a depth ratio of ${ratio(last.depth / first.depth)}`
      : `NOT LINEAR: DAG(${last.depth}) / DAG(${first.depth}) = ${ratio(last.dag / first.dag)} for a depth ratio of ${ratio(last.depth / first.depth)}`,
  );
  return { depths: data, linear };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();

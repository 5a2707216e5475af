/**
 * The `propagate` directive (sheet E2): a Monte Carlo run of random inputs through a deep network
 * for several initialisations, shown as a table of the pre-activation variance per layer.
 *
 *   propagate relu 2/n; tanh 1/n; relu 1/n; tanh 2/(n_in + n_out) uniform
 *             layers 20 width 256 samples 64 [networks 4] [seed 1] [every 2]
 *
 * Each configuration (separated by ";") is an activation (linear or a built-in function of one
 * argument) and the weights' variance as a formula in the width n (n_in and n_out are n as well:
 * every layer has the same width), drawn from a normal distribution or, with `uniform`, from
 * U[-a, a] of that variance. Every configuration starts from the same seed, so they see the same
 * inputs. With `networks k` each entry is the mean over k networks drawn with consecutive seeds. `every k` shows every k-th layer (and always the first and the last).
 */
import { DeriveError } from "../errors.js";
import { parseExpression } from "../parse/index.js";
import { evaluate } from "../numeric/index.js";
import { activationNamed, meanPreactivationVariances, type WeightInit } from "../numeric/propagate.js";
import { toLatex } from "../render/index.js";
import type { Block } from "./types.js";
import { formatNumber } from "./format.js";

interface Configuration {
  readonly activation: string;
  readonly variance: string;
  readonly init: WeightInit;
}

/** A whole-number clause ≥ 1, with its default. */
function count(clauses: ReadonlyMap<string, string>, key: string, fallback: number): number {
  const text = clauses.get(key);
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new DeriveError(`${key} expects a whole number ≥ 1, got "${text}"`);
  return n;
}

/** `tanh 2/(n_in + n_out) uniform` with the width known: the activation, the formula and its value. */
function configuration(text: string, width: number): Configuration {
  const m = /^\s*(\S+)\s+(.+?)(\s+uniform)?\s*$/.exec(text);
  if (!m) throw new DeriveError(`propagate expects configurations "activation variance [uniform]" separated by ";", got "${text.trim()}"`);
  activationNamed(m[1]!); // reject an unknown activation here, with its name
  const formula = parseExpression(m[2]!);
  const variance = evaluate(formula, { n: width, n_in: width, n_out: width });
  return { activation: m[1]!, variance: toLatex(formula), init: { distribution: m[3] ? "uniform" : "normal", variance } };
}

/** The layers shown: every k-th, with the first and last always in. */
function shownLayers(layers: number, every: number): number[] {
  const shown = new Set([1, layers]);
  for (let l = every; l <= layers; l += every) shown.add(l);
  return [...shown].sort((a, b) => a - b);
}

export function runPropagate(configText: string, clauses: ReadonlyMap<string, string>): Block[] {
  const layers = count(clauses, "layers", 10);
  const width = count(clauses, "width", 100);
  const samples = count(clauses, "samples", 100);
  const seed = count(clauses, "seed", 1);
  const networks = count(clauses, "networks", 1);
  const configs = configText.split(";").filter((c) => c.trim() !== "").map((c) => configuration(c, width));
  if (configs.length === 0) throw new DeriveError("propagate needs at least one configuration: propagate relu 2/n layers 20 width 256");
  const runs = configs.map((c) => meanPreactivationVariances({ layers, width, samples, seed, init: c.init, activation: activationNamed(c.activation) }, networks));
  // narrow columns (a page shows six): the row labels say what the two header rows hold
  const header1 = ["\\phi", ...configs.map((c) => `\\operatorname{${c.activation}}`)];
  const header2 = ["\\operatorname{Var}(w)", ...configs.map((c) => `${c.variance}${c.init.distribution === "uniform" ? "\\text{ unif.}" : ""}`)];
  const rows = shownLayers(layers, count(clauses, "every", 1)).map((l) => [`l = ${l}`, ...runs.map((r) => formatNumber(r[l - 1]!, 3))]);
  const cols = `c|${"c".repeat(configs.length)}`;
  const table = [header1, header2].map((r) => r.join(" & ")).join(" \\\\ ") + " \\\\ \\hline " + rows.map((r) => r.join(" & ")).join(" \\\\ ");
  return [
    { kind: "math", latex: `\\begin{array}{${cols}} ${table} \\end{array}` },
    {
      kind: "math",
      latex: `\\begin{gathered} \\operatorname{Var}(z_l) \\text{ at layer } l \\text{ for } \\phi \\text{ and } \\operatorname{Var}(w) \\text{ (normal, or uniform: unif.)} \\\\ ${layers} \\text{ layers of width } n = ${width},\\ ${samples} \\text{ inputs } x \\sim N(0, I_{n}) \\\\ \\text{${networks > 1 ? `mean over ${networks} networks, ` : ""}seed ${seed}} \\end{gathered}`,
    },
  ];
}

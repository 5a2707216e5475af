/**
 * Monte Carlo forward propagation through a deep fully connected network (sheet E2): random
 * inputs go through L layers of width n whose weights are drawn from a given initialisation, and
 * the variance of the pre-activations is measured at every layer. It shows which initialisation
 * keeps the signal's scale (He with ReLU, 1/n with tanh) and which lets it collapse or explode.
 *
 *   z_1 = W_1 x,   z_l = W_l φ(z_{l-1}),   W_l[i][j] independent, mean 0, variance v,   no biases
 *
 * Why the mean square is the variance: every weight is symmetric about 0 and independent of the
 * layer below, so every z_l is symmetric about 0 and Var(z_l) = E[z_l²]. The estimate reported,
 * the mean of z² over all n units and all samples, is unbiased for it (subtracting the sample
 * mean would bias it low). For ReLU and a linear φ its expectation is known exactly (see the
 * tests), which is what makes a statistical test possible.
 */
import { DeriveError } from "../errors.js";
import { getFunction, lookupFunction } from "../functions/index.js";
import { createRandom, type Random } from "./random.js";

/** How weights are drawn: their distribution (mean 0) and variance. */
export interface WeightInit {
  /** "normal": N(0, v); "uniform": U[-a, a] with a = √(3v), whose variance is a²/3 = v. */
  readonly distribution: "normal" | "uniform";
  readonly variance: number;
}

export interface PropagationOptions {
  readonly layers: number;
  /** Units per layer, also the input dimension. */
  readonly width: number;
  /** Input vectors propagated together. */
  readonly samples: number;
  readonly init: WeightInit;
  /** φ, applied elementwise between layers (not to the input). */
  readonly activation: (x: number) => number;
  readonly seed: number;
  /** Inputs x ~ N(0, inputVariance · I); default 1 (centred, whitened inputs). */
  readonly inputVariance?: number;
}

/**
 * An activation by name: "linear" (or "identity") is φ(x) = x; otherwise any built-in function
 * of one argument (relu, tanh, sigmoid, softplus, …), evaluated by its registry entry.
 */
export function activationNamed(name: string): (x: number) => number {
  if (name === "linear" || name === "identity") return (x) => x;
  const f = lookupFunction(name);
  if (!f || f.arity !== 1) throw new DeriveError(`"${name}" is not an activation: use linear or a built-in function of one argument (relu, tanh, sigmoid, …)`);
  const fn = getFunction(f.name);
  return (x) => fn.evaluate(x);
}

function checkOptions(o: PropagationOptions): void {
  for (const [key, v] of [["layers", o.layers], ["width", o.width], ["samples", o.samples]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new DeriveError(`${key} must be a whole number ≥ 1, got ${v}`);
  }
  if (!(Number.isFinite(o.init.variance) && o.init.variance >= 0)) throw new DeriveError(`the weight variance must be a finite number ≥ 0, got ${o.init.variance}`);
  const vx = o.inputVariance ?? 1;
  if (!(Number.isFinite(vx) && vx >= 0)) throw new DeriveError(`the input variance must be a finite number ≥ 0, got ${vx}`);
}

/** A draw from the initialisation: both distributions have mean 0 and variance `init.variance`. */
function weightSampler(init: WeightInit, random: Random): () => number {
  const sd = Math.sqrt(init.variance);
  if (init.distribution === "normal") return () => random.normal(0, sd);
  const a = Math.sqrt(3) * sd;
  return () => (2 * random.uniform() - 1) * a;
}

/** Mean of the squares: the unbiased variance estimate of a quantity symmetric about 0. */
function meanSquare(xs: Float64Array): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i]! * xs[i]!;
  return s / xs.length;
}

/**
 * One layer z = W h for all samples at once. Storage is unit-major (`h[j * samples + s]`), so the
 * innermost loop runs over contiguous samples; each weight is drawn once, when it is used.
 */
function layer(h: Float64Array, width: number, samples: number, draw: () => number): Float64Array {
  const z = new Float64Array(width * samples);
  for (let i = 0; i < width; i++) {
    const zi = i * samples;
    for (let j = 0; j < width; j++) {
      const w = draw();
      const hj = j * samples;
      for (let s = 0; s < samples; s++) z[zi + s]! += w * h[hj + s]!;
    }
  }
  return z;
}

/**
 * The variance of the pre-activations z_l at each layer l = 1 … L (index l - 1), from one seeded
 * run: the same options and seed give the same numbers.
 */
export function preactivationVariances(options: PropagationOptions): number[] {
  checkOptions(options);
  const { layers, width, samples, activation } = options;
  const random = createRandom(options.seed);
  const sdx = Math.sqrt(options.inputVariance ?? 1);
  let h: Float64Array = new Float64Array(width * samples);
  for (let k = 0; k < h.length; k++) h[k] = random.normal(0, sdx);
  const draw = weightSampler(options.init, random);
  const variances: number[] = [];
  for (let l = 0; l < layers; l++) {
    const z = layer(h, width, samples, draw);
    variances.push(meanSquare(z));
    for (let k = 0; k < z.length; k++) z[k] = activation(z[k]!);
    h = z;
  }
  return variances;
}

/**
 * The variances per layer averaged over `networks` independent networks (seeds seed, seed + 1, …).
 * One network's weights are a single draw: its layer gains are off by random factors of order
 * 1/√n that multiply up with depth. The average estimates the expected variance over weights and
 * inputs, the quantity the variance recursion (and He's derivation) is about.
 */
export function meanPreactivationVariances(options: PropagationOptions, networks: number): number[] {
  if (!Number.isInteger(networks) || networks < 1) throw new DeriveError(`networks must be a whole number ≥ 1, got ${networks}`);
  const runs = Array.from({ length: networks }, (_, k) => preactivationVariances({ ...options, seed: options.seed + k }));
  return runs[0]!.map((_, l) => runs.reduce((sum, r) => sum + r[l]!, 0) / networks);
}

import { describe, expect, it } from "vitest";
import { activationNamed, meanPreactivationVariances, preactivationVariances, type PropagationOptions, type WeightInit } from "../../src/numeric/propagate.js";
import { DeriveError } from "../../src/errors.js";

/**
 * The statistical tests compare the mean of R independent runs (seeds 1 … R) with the exact
 * expectation of the estimate, within 4 standard errors of that mean (the runs' sample standard
 * deviation / √R). With R = 400 the mean is close to normal, and a correct implementation lands
 * outside 4 standard errors with probability about 6·10⁻⁵ per comparison; the seeds are fixed, so
 * the test is deterministic. Each test also checks that a plausible wrong answer lies outside the
 * same band, so the band is narrow enough to catch a mistake.
 *
 * Exact expectations (any symmetric weight distribution of variance v, inputs N(0, 1)):
 *   E[z_1²] = n · v · 1;  E[z_l²] = n · v · E[φ(z_{l-1})²],
 *   linear: E[φ(z)²] = E[z²];  ReLU: E[relu(z)²] = ½ E[z²] because z is symmetric about 0.
 */
const R = 400;
const small = { layers: 6, width: 16, samples: 8 } as const;

function runs(options: Omit<PropagationOptions, "seed">): { mean: number[]; se: number[] } {
  const all = Array.from({ length: R }, (_, k) => preactivationVariances({ ...options, seed: k + 1 }));
  const mean = all[0]!.map((_, l) => all.reduce((s, r) => s + r[l]!, 0) / R);
  const se = mean.map((m, l) => Math.sqrt(all.reduce((s, r) => s + (r[l]! - m) ** 2, 0) / (R - 1) / R));
  return { mean, se };
}

/** q_l = E[z_l²] by the recursion above, with `gain` the factor E[φ(z)²]/E[z²]. */
const theory = (n: number, v: number, gain: number, layers: number): number[] =>
  Array.from({ length: layers }, (_, l) => n * v * (n * v * gain) ** l);

function expectWithin(measured: { mean: number[]; se: number[] }, expected: number[], wrong: number[]): void {
  measured.mean.forEach((m, l) => {
    const band = 4 * measured.se[l]!;
    expect(Math.abs(m - expected[l]!), `layer ${l + 1}: ${m} vs ${expected[l]} ± ${band}`).toBeLessThanOrEqual(band);
    if (l > 0) expect(Math.abs(m - wrong[l]!), `layer ${l + 1}: the wrong answer ${wrong[l]} is not rejected`).toBeGreaterThan(band);
  });
}

describe("Monte Carlo propagation: the variance per layer against its exact expectation", () => {
  const n = small.width;
  const inits: Array<[string, WeightInit]> = [
    ["normal", { distribution: "normal", variance: 2 / n }],
    ["uniform", { distribution: "uniform", variance: 2 / n }],
  ];
  for (const [name, init] of inits) {
    it(`ReLU with He initialisation (${name}): flat at 2 (the wrong answer forgets the ½ and doubles every layer)`, () => {
      const m = runs({ ...small, init, activation: activationNamed("relu") });
      expectWithin(m, theory(n, 2 / n, 1 / 2, small.layers), theory(n, 2 / n, 1, small.layers));
    });
  }

  it("ReLU with variance 1/n halves every layer", () => {
    const m = runs({ ...small, init: { distribution: "normal", variance: 1 / n }, activation: activationNamed("relu") });
    const expected = theory(n, 1 / n, 1 / 2, small.layers);
    expect(expected[5]).toBeCloseTo(1 / 32, 12);
    expectWithin(m, expected, theory(n, 1 / n, 1, small.layers));
  });

  it("a linear network with variance 1.5/n grows by 1.5 per layer", () => {
    const m = runs({ ...small, init: { distribution: "normal", variance: 1.5 / n }, activation: activationNamed("linear") });
    expectWithin(m, theory(n, 1.5 / n, 1, small.layers), theory(n, 1.5 / n, 1 / 2, small.layers));
  });

  it("the input variance scales every layer", () => {
    const m = runs({ ...small, init: { distribution: "normal", variance: 2 / n }, activation: activationNamed("relu"), inputVariance: 3 });
    expectWithin(m, theory(n, 2 / n, 1 / 2, small.layers).map((q) => 3 * q), theory(n, 2 / n, 1 / 2, small.layers));
  });
});

describe("Monte Carlo propagation: determinism and regimes", () => {
  const base = { layers: 8, width: 32, samples: 16, init: { distribution: "normal" as const, variance: 1 / 32 } };

  it("the same seed gives the same numbers, another seed others", () => {
    const a = preactivationVariances({ ...base, activation: Math.tanh, seed: 5 });
    expect(preactivationVariances({ ...base, activation: Math.tanh, seed: 5 })).toEqual(a);
    expect(preactivationVariances({ ...base, activation: Math.tanh, seed: 6 })).not.toEqual(a);
  });

  it("tanh near 0 is linear: with tiny inputs it follows the linear network drawn from the same seed", () => {
    // tanh(z) = z (1 - z²/3 + …): with Var(z) ≈ 1e-6 each layer changes the variance by ≈ 2·1e-6/3
    const opts = { ...base, inputVariance: 1e-6, seed: 3 };
    const t = preactivationVariances({ ...opts, activation: activationNamed("tanh") });
    const lin = preactivationVariances({ ...opts, activation: activationNamed("linear") });
    t.forEach((q, l) => {
      expect(q).toBeLessThanOrEqual(lin[l]!); // |tanh z| ≤ |z| unit by unit
      expect(Math.abs(q / lin[l]! - 1)).toBeLessThan(1e-4);
    });
  });

  it("tanh is bounded: a large scale saturates instead of exploding, while ReLU explodes", () => {
    const init = { distribution: "normal" as const, variance: 4 / 32 };
    const t = preactivationVariances({ ...base, init, activation: Math.tanh, seed: 1 });
    const r = preactivationVariances({ ...base, init, activation: activationNamed("relu"), seed: 1 });
    // E[z²] = n v E[tanh²] ≤ n v = 4 per layer (in expectation); ReLU doubles: 4 · 2^7 = 512 at layer 8
    expect(Math.max(...t.slice(1))).toBeLessThan(4);
    expect(r[7]!).toBeGreaterThan(100);
  });

  it("the mean over networks is the mean of the runs with consecutive seeds", () => {
    const opts = { ...base, activation: Math.tanh, seed: 10 };
    const runs = [10, 11, 12].map((seed) => preactivationVariances({ ...opts, seed }));
    const mean = meanPreactivationVariances(opts, 3);
    mean.forEach((q, l) => expect(q).toBeCloseTo((runs[0]![l]! + runs[1]![l]! + runs[2]![l]!) / 3, 14));
    expect(meanPreactivationVariances(opts, 1)).toEqual(runs[0]);
    expect(() => meanPreactivationVariances(opts, 0)).toThrow(DeriveError);
  });

  it("rejects bad options and names that are not activations", () => {
    const ok = { ...base, activation: Math.tanh, seed: 1 };
    expect(() => preactivationVariances({ ...ok, layers: 0 })).toThrow(DeriveError);
    expect(() => preactivationVariances({ ...ok, width: 2.5 })).toThrow(DeriveError);
    expect(() => preactivationVariances({ ...ok, init: { distribution: "normal", variance: -1 } })).toThrow(DeriveError);
    expect(() => activationNamed("nosuch")).toThrow(DeriveError);
    expect(activationNamed("relu")(-2)).toBe(0);
    expect(activationNamed("sigmoid")(0)).toBe(0.5);
  });
});

/**
 * Index programs (sums up to a symbolic n): derivatives by scalars and by entries against central
 * differences at random sizes and values, over random bodies; printed programs and results parse
 * back to the same values; D3 agrees with its matrix form; errors name the place.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { rng } from "../support/random-inputs.js";
import { parseStatements } from "../../src/parse/index.js";
import type { Matrix } from "../../src/numeric/matrix.js";
import {
  buildIndexProgram,
  indexProgramDerivative,
  indexProgramSteps,
  indexProgramToText,
  indexProgramValue,
  valuesOver,
  indexToText,
  usesSymbolicSums,
  wrtEntry,
  type IndexProgram,
} from "../../src/index-notation/index.js";
import { agrees, centralDifference } from "../support/finite-difference.js";
import { DeriveError } from "../../src/errors.js";

const program = (text: string): IndexProgram => buildIndexProgram(text, parseStatements(text));


/** Random values: n from 1–4, vectors x, y of length n, scalars w, b (and n itself). */
function randomPoint(r: () => number): Map<string, Matrix> {
  const n = 1 + Math.floor(r() * 4);
  const vector = (): Matrix => Array.from({ length: n }, () => [r() * 2 - 1]);
  return new Map<string, Matrix>([
    ["x", vector()],
    ["y", vector()],
    ["w", [[r() * 2 - 1]]],
    ["b", [[r() * 2 - 1]]],
    // a body without vectors (Σ_{i=1}^{n} w) has no length to read n from
    ["n", [[n]]],
  ]);
}

const value = (p: IndexProgram, at: Map<string, Matrix>, indices: Map<string, number> = new Map()): number =>
  indexProgramValue(p, p.target, { values: at, indices });

/** The program's target with one input entry set to t (row `row` of `name`). */
function along(p: IndexProgram, at: Map<string, Matrix>, name: string, row: number): (t: number) => number {
  return (t) => {
    const changed = new Map(at);
    const m = at.get(name)!.map((r) => [...r]);
    m[row]![0] = t;
    changed.set(name, m);
    return value(p, changed);
  };
}

/** Bodies over w, b, x_i, y_i: sums, products, powers, quotients and functions. */
const arbBody: fc.Arbitrary<string> = fc.letrec<{ e: string }>((tie) => ({
  e: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.constantFrom("w", "b", "x_i", "y_i", "0.5", "2"),
    fc.tuple(tie("e"), tie("e")).map(([a, c]) => `(${a} + ${c})`),
    fc.tuple(tie("e"), tie("e")).map(([a, c]) => `(${a} - ${c})`),
    fc.tuple(tie("e"), tie("e")).map(([a, c]) => `${a}*${c}`),
    fc.tuple(tie("e"), tie("e")).map(([a, c]) => `(${a})/(2 + (${c})^2)`),
    tie("e").map((a) => `(${a})^2`),
    fc.tuple(fc.constantFrom("sigmoid", "tanh", "sin", "cos"), tie("e")).map(([f, a]) => `${f}(${a})`),
  ),
})).e;

const arbOuter = fc.constantFrom((s: string) => s, (s: string) => `(${s})^2`, (s: string) => `sigmoid(${s})`, (s: string) => `w*${s}`, (s: string) => `log(1 + (${s})^2)`);

describe("index programs: derivatives against central differences", () => {
  it("by a scalar and by every entry of a vector, over random bodies and sizes", () => {
    let compared = 0;
    let skipped = 0;
    fc.assert(
      fc.property(arbBody, arbOuter, fc.boolean(), fc.integer({ min: 1, max: 2 ** 30 }), (body, outer, defined, seed) => {
        // half the time through a definition written entry by entry (z_i = …)
        const text = defined ? `z_i = ${body}; L = ${outer("sum(z_i*x_i, i, 1, n)")}; L` : `L = ${outer(`sum(${body}, i, 1, n)`)}; L`;
        const p = program(text);
        const at = randomPoint(rng(seed));
        const n = at.get("x")!.length;
        for (const name of ["w", "b"]) {
          if (!p.inputs.includes(name)) continue;
          const d = indexProgramDerivative(p, [wrtEntry(p, name)]);
          const reference = centralDifference((t) => value(p, new Map(at).set(name, [[t]])), at.get(name)![0]![0]!);
          if (!reference) {
            skipped++;
            continue;
          }
          compared++;
          const analytic = indexProgramValue(p, d.result, { values: at });
          if (!agrees(analytic, reference)) throw new Error(`${text}: ∂/∂${name} = ${indexToText(d.result)} gives ${analytic}, differences ${reference.value}`);
        }
        for (const name of ["x", "y"]) {
          if (!p.inputs.includes(name)) continue;
          const entry = wrtEntry(p, name);
          const d = indexProgramDerivative(p, [entry]);
          const letter = entry.indices[0] as string;
          for (let j = 1; j <= n; j++) {
            const reference = centralDifference(along(p, at, name, j - 1), at.get(name)![j - 1]![0]!);
            if (!reference) {
              skipped++;
              continue;
            }
            compared++;
            const analytic = indexProgramValue(p, d.result, { values: at, indices: new Map([[letter, j]]) });
            if (!agrees(analytic, reference)) throw new Error(`${text}: ∂/∂${name}_${j} = ${indexToText(d.result)} gives ${analytic}, differences ${reference.value}`);
          }
        }
      }),
      { numRuns: 150, seed: 20261126 },
    );
    expect(compared).toBeGreaterThan(5 * skipped);
  });

  it("second derivatives (--wrt w,w and w,x_j)", () => {
    const p = program("L = (1/n) sum((y_i - w*x_i - b)^2, i, 1, n); L");
    const at = randomPoint(rng(7));
    const dww = indexProgramDerivative(p, [wrtEntry(p, "w"), wrtEntry(p, "w")]);
    expect(indexToText(dww.result, { bounds: true })).toBe("(2 Σ_{i=1}^{n} x_i^2)/n");
    const xs = at.get("x")!.map((r) => r[0]!);
    expect(indexProgramValue(p, dww.result, { values: at })).toBeCloseTo((2 * xs.reduce((s, v) => s + v * v, 0)) / xs.length, 12);
    const dw = indexProgramDerivative(p, [wrtEntry(p, "w")]);
    const dwx = indexProgramDerivative(p, [wrtEntry(p, "w"), wrtEntry(p, "x_j")]);
    for (let j = 1; j <= xs.length; j++) {
      const f = (t: number): number => {
        const m = new Map(at);
        m.set("x", at.get("x")!.map((r, k) => (k === j - 1 ? [t] : [...r])));
        return indexProgramValue(p, dw.result, { values: m });
      };
      const reference = centralDifference(f, xs[j - 1]!)!;
      expect(agrees(indexProgramValue(p, dwx.result, { values: at, indices: new Map([["j", j]]) }), reference)).toBe(true);
    }
  });
});

describe("index programs: results as the sheets write them", () => {
  const d = (text: string, wrt: string): string => {
    const p = program(text);
    return indexToText(indexProgramDerivative(p, [wrtEntry(p, wrt)]).result, { bounds: true });
  };

  it("least squares, its mean and a penalty", () => {
    expect(d("sum((y_i - w*x_i)^2, i, 1, n)", "w")).toBe("2 Σ_{i=1}^{n} (w x_i - y_i) x_i");
    expect(d("sum((y_i - w*x_i)^2, i, 1, n)", "x_j")).toBe("2 (w x_j - y_j) w");
    expect(d("(1/n) Σ_{i=1}^{n} (y_i - w x_i)^2 + λ w^2", "w")).toBe("(2 Σ_{i=1}^{n} (w x_i - y_i) x_i)/n + 2 λ w");
  });

  it("D3 by index notation: ∂f/∂w_kl and ∂f/∂b_k as problems.md writes them, sums named as written", () => {
    const d3 = "z_i = Σ_{j=1}^{d} w_ij x_j + b_i; f = (y - Σ_{i=1}^{n} σ(z_i))^2; f";
    expect(d(d3, "w_kl")).toBe("2 (Σ_{i=1}^{n} σ(z_i) - y) σ(z_k) (1 - σ(z_k)) x_l");
    expect(d(d3, "b_k")).toBe("2 (Σ_{i=1}^{n} σ(z_i) - y) σ(z_k) (1 - σ(z_k))");
    expect(d(d3, "x_m")).toBe("2 (Σ_{i=1}^{n} σ(z_i) - y) Σ_{i=1}^{n} σ(z_i) (1 - σ(z_i)) w_im");
  });

  it("D3 agrees with its gradient in matrix form, entry by entry", () => {
    const d3 = program("z_i = Σ_{j=1}^{d} w_ij x_j + b_i; f = (y - Σ_{i=1}^{n} σ(z_i))^2; f");
    const r = rng(11);
    const W = [[0.3, -0.2], [0.5, 0.1], [-0.4, 0.7]];
    const x = [[r()], [r()]];
    const b = [[0.1], [-0.3], [0.2]];
    const at = new Map<string, Matrix>([["w", W], ["x", x], ["b", b], ["y", [[1]]]]);
    const g = indexProgramDerivative(d3, [wrtEntry(d3, "w_kl")]).result;
    const sig = (t: number): number => 1 / (1 + Math.exp(-t));
    const z = W.map((row, i) => row[0]! * x[0]![0]! + row[1]! * x[1]![0]! + b[i]![0]!);
    const s = z.map(sig).reduce((a, c) => a + c, 0);
    for (let k = 1; k <= 3; k++) {
      for (let l = 1; l <= 2; l++) {
        const expected = 2 * (s - 1) * sig(z[k - 1]!) * (1 - sig(z[k - 1]!)) * x[l - 1]![0]!;
        expect(indexProgramValue(d3, g, { values: at, indices: new Map([["k", k], ["l", l]]) })).toBeCloseTo(expected, 12);
      }
    }
  });
});

describe("index programs: printing parses back", () => {
  it("programs and derivatives, in ASCII, re-read to the same values", () => {
    fc.assert(
      fc.property(arbBody, fc.integer({ min: 1, max: 2 ** 30 }), (body, seed) => {
        const p = program(`L = sum(${body}, i, 1, n) + w; L`);
        const at = randomPoint(rng(seed));
        const again = program(indexProgramToText(p, { ascii: true }));
        expect(value(again, at)).toBeCloseTo(value(p, at), 9);
        const unicode = program(indexProgramToText(p));
        expect(value(unicode, at)).toBeCloseTo(value(p, at), 9);
        const d = indexProgramDerivative(p, [wrtEntry(p, "w")]).result;
        const text = indexToText(d, { bounds: true, ascii: true });
        if (!usesSymbolicSums(parseStatements(text))) return;
        const back = program(text);
        expect(indexProgramValue(back, back.target, { values: at })).toBeCloseTo(indexProgramValue(p, d, { values: at }), 9);
      }),
      { numRuns: 100, seed: 7 },
    );
  });
});

describe("index programs: which names are entries", () => {
  it("a subscript of the sums' indices is an entry, other subscripts are names", () => {
    const p = program("f_in = sum(w_i*x_i, i, 1, n); f_in + x_1");
    expect([...p.arities]).toEqual(expect.arrayContaining([["w", 1], ["x", 1], ["f_in", 0]]));
    expect(p.sizes.has("n")).toBe(true);
    expect(p.inputs).toEqual(["w", "x"]);
  });

  it("sizes come from the inputs summed up to them, also through definitions", () => {
    const p = program("z_i = Σ_{j=1}^{d} w_ij x_j; Σ_{i=1}^{n} z_i^2");
    const at = new Map<string, Matrix>([["w", [[1, 2], [3, 4], [5, 6]]], ["x", [[1], [1]]]]);
    expect(value(p, at)).toBe(9 + 49 + 121);
  });

  it("refuses what index notation cannot say, at the place", () => {
    const fails = (text: string, message: RegExp): void => {
      expect(() => program(text)).toThrow(DeriveError);
      expect(() => program(text)).toThrow(message);
    };
    fails("sum(i*x_i, i, 1, n)", /the index i used as a number/);
    fails("sum(x_i, i, 0, n)", /runs from i = 1/);
    fails("sum(x_i, i, 1, n - 1)", /a size of its own/);
    fails("sum(x_i, i, 1, n) + x", /line 1, column 21: x has entries/);
    fails("z_ij = x_i; sum(z_ii, i, 1, n)", /no j/);
    fails("z = x_i + sum(x_k, k, 1, n); z", /free index i/);
    // a typo in a size is refused before it runs for hours
    const nested = program("sum(sum(w, j, 1, n), i, 1, n)");
    expect(() => value(nested, new Map([["w", [[1]]], ["n", [[100_000]]]]))).toThrow(/more than 50,000,000 terms/);
  });
});

describe("index programs: steps through the definitions", () => {
  it("D3 as the sheet shows it", () => {
    const p = program("z_i = Σ_{j=1}^{d} w_ij x_j + b_i; f = (y - Σ_{i=1}^{n} σ(z_i))^2; f");
    const d = indexProgramSteps(p, wrtEntry(p, "w_kl"));
    expect(d.given.map((g) => `${indexToText(g.entry)} ${indexToText(g.result, { bounds: true })}`)).toEqual(["z_i 2 (Σ_{j=1}^{n} σ(z_j) - y) σ(z_i) (1 - σ(z_i))"]);
    expect(d.lines.map((l) => (l.kind === "index" ? indexToText(l.rhs, { bounds: true }) : ""))).toEqual([
      "Σ_{i=1}^{n} (∂f/∂z_i) (∂z_i/∂w_kl)",
      "Σ_{i=1}^{n} δ_ik (∂f/∂z_i) x_l",
      "(∂f/∂z_k) x_l",
      "2 (Σ_{i=1}^{n} σ(z_i) - y) σ(z_k) (1 - σ(z_k)) x_l",
    ]);
  });

  it("every line after the first has the derivative's value, through random definitions", () => {
    let compared = 0;
    fc.assert(
      fc.property(arbBody, arbOuter, fc.integer({ min: 1, max: 2 ** 30 }), (body, outer, seed) => {
        const p = program(`z_i = ${body}; L = ${outer("sum(z_i*x_i, i, 1, n)")}; L`);
        const at = randomPoint(rng(seed));
        const n = at.get("x")!.length;
        for (const name of ["w", "x_j"]) {
          if (!p.inputs.includes(name.charAt(0))) continue;
          const wrt = wrtEntry(p, name);
          const d = indexProgramSteps(p, wrt);
          const expected = indexProgramDerivative(p, [wrt]).result;
          const gradients = new Map(d.given.map((g) => [`L/${g.entry.name}`, valuesOver(p, g.result, at, g.entry.indices.map(String))] as [string, Matrix]));
          for (let j = 1; j <= (wrt.indices.length === 0 ? 1 : n); j++) {
            const indices = new Map(wrt.indices.length === 0 ? [] : [[wrt.indices[0] as string, j]]);
            const want = indexProgramValue(p, expected, { values: at, indices });
            d.lines.slice(1).forEach((line, k) => {
              if (line.kind !== "index") throw new Error("index programs have index lines only");
              const got = indexProgramValue(p, line.rhs, { values: at, indices, gradients });
              expect(Math.abs(got - want), `${p.definitions.length} ${name} line ${k + 2} (${line.rule}): ${indexToText(line.rhs)}`).toBeLessThan(1e-9 * Math.max(1, Math.abs(want)));
              compared++;
            });
          }
        }
      }),
      { numRuns: 80, seed: 5 },
    );
    expect(compared).toBeGreaterThan(100);
  });
});

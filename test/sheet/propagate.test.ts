import { describe, expect, it } from "vitest";
import katex from "katex";
import { runChunk, SheetScope } from "../../src/sheet/chunk.js";
import { meanPreactivationVariances } from "../../src/numeric/propagate.js";
import { formatNumber } from "../../src/sheet/format.js";

const run = (source: string): ReturnType<typeof runChunk> =>
  runChunk({ line: 1, options: { echo: false, solution: false }, source, firstSourceLine: 2 }, new SheetScope());

describe("the propagate directive", () => {
  it("tabulates the variance per layer of each configuration, from the Monte Carlo routine", () => {
    const { blocks, errors } = run("propagate relu 2/n; tanh 2/(n_in + n_out) uniform layers 6 width 32 samples 8 networks 2 seed 4 every 2");
    expect(errors).toEqual([]);
    const table = blocks[0]!;
    expect(table.kind).toBe("math");
    if (table.kind !== "math") return;
    katex.renderToString(table.latex, { throwOnError: true, displayMode: true });
    const relu = meanPreactivationVariances({ layers: 6, width: 32, samples: 8, seed: 4, init: { distribution: "normal", variance: 2 / 32 }, activation: (x) => Math.max(0, x) }, 2);
    const tanh = meanPreactivationVariances({ layers: 6, width: 32, samples: 8, seed: 4, init: { distribution: "uniform", variance: 1 / 32 }, activation: Math.tanh }, 2);
    // rows 1, 2, 4, 6: the first, every second, the last
    const rows = table.latex.split("\\hline ")[1]!.replace(/ \\end\{array\}$/, "").split(" \\\\ ");
    expect(rows).toEqual([1, 2, 4, 6].map((l) => `l = ${l} & ${formatNumber(relu[l - 1]!, 3)} & ${formatNumber(tanh[l - 1]!, 3)}`));
    expect(table.latex).toContain("\\operatorname{Var}(w) & \\frac{2}{n} & \\frac{2}{n_{\\text{in}} + n_{\\text{out}}}\\text{ unif.}");
    expect(blocks[1]!.kind === "math" && blocks[1]!.latex).toContain("mean over 2 networks");
    if (blocks[1]!.kind === "math") katex.renderToString(blocks[1]!.latex, { throwOnError: true, displayMode: true });
  });

  it("reports unknown activations and bad counts as chunk errors", () => {
    expect(run("propagate nosuch 1/n layers 3").errors[0]!.message).toMatch(/"nosuch" is not an activation/);
    expect(run("propagate relu 2/n layers 0").errors[0]!.message).toMatch(/layers expects a whole number/);
    expect(run("propagate relu 2/m layers 2").errors[0]!.message).toMatch(/m/);
  });
});

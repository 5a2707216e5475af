/** Matrix programs in sheets: declarations in scope, matrix directives, checks, notebook scope. */
import { describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildSheets } from "../../src/sheet/index.js";

function build(source: string): { md: string; errors: ReturnType<typeof buildSheets>["errors"] } {
  const dir = mkdtempSync(join(tmpdir(), "derive-matrix-sheet-"));
  const file = join(dir, "m.md");
  writeFileSync(file, source);
  const r = buildSheets(file, { outDir: join(dir, "out"), modes: ["solutions"], formats: ["md"] });
  return { md: readFileSync(join(dir, "out", "m.md"), "utf8"), errors: r.errors };
}

const C2 = ["W: matrix", "X: matrix", "Ŷ: matrix", "Y = W X", "L = sum((Y - Ŷ) ⊙ (Y - Ŷ))"];

describe("matrix chunks", () => {
  it("computes C2 exactly and checks matrix claims (a transposed factor is caught)", () => {
    const at = "W=[[0.3, 0.5], [-0.2, 0.4]], X=[[0, 2], [3, 1]], Ŷ=[[0.5, 1], [1, -1.5]]";
    const { md, errors } = build(
      ["```derive", ...C2, `grad L wrt W at ${at}`, "check d/dW L = 2*(Y - Ŷ)*X^T", "```", "", "```derive", "#| expect: invalid", "check d/dW L = 2*(Y - Ŷ)*X", "```", ""].join("\n"),
    );
    expect(errors).toEqual([]);
    expect(md).toContain("\\begin{bmatrix} 0.4 & 6.2 \\\\ 6 & 4.2 \\end{bmatrix}");
    expect(md).toContain("**valid:**");
    expect(md).toContain("X should be X^T");
  });

  it("keeps scalar problems scalar after an earlier problem's vectors (x: scalar)", () => {
    const { md, errors } = build(
      ["```derive", "W: matrix", "x: vector", "b: vector", "z = W x + b", "diff z_i wrt w_jk", "```", "", "```derive", "x: scalar", "f = c*x^2", "diff f wrt x", "check d/dx f = 2*c*x", "```", ""].join("\n"),
    );
    expect(errors).toEqual([]);
    expect(md).toContain("\\delta_{ij} x_{k}");
    expect(md).toContain("2 c x");
  });
});

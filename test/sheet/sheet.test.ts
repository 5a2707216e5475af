import { describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildSheets } from "../../src/sheet/index.js";
import { derive } from "../cli/run.js";

const tmp = (): string => mkdtempSync(join(tmpdir(), "derive-sheet-"));

function sheet(text: string): { dir: string; file: string } {
  const dir = tmp();
  const file = join(dir, "s.md");
  writeFileSync(file, text);
  return { dir, file };
}

describe("sheets", () => {
  it("computes chunks into KaTeX math, with and without solutions", () => {
    const { dir, file } = sheet(
      "# T\n\nLet $f = x^2$.\n\n::: solution\nSecret prose.\n:::\n\n```derive\n#| solution: true\nf(x) = x^3\ndiff f wrt x\n```\n",
    );
    const out = join(dir, "out");
    const r = buildSheets(file, { outDir: out, modes: ["solutions", "exercises"] });
    expect(r.errors).toEqual([]);
    const solutions = readFileSync(join(out, "s.html"), "utf8");
    const exercises = readFileSync(join(out, "s.exercises.html"), "utf8");
    expect(solutions).toContain("Secret prose.");
    expect(solutions).toContain('class="katex"');
    // 3x^2, as KaTeX MathML
    expect(solutions).toMatch(/<mn>3<\/mn><msup><mi>x<\/mi><mn>2<\/mn><\/msup>/);
    expect(exercises).not.toContain("Secret prose.");
    expect(exercises).not.toContain('<section class="derive-chunk">');
    expect(existsSync(join(out, "assets", "katex", "katex.min.css"))).toBe(true);
  });

  it("escapes author text and reports chunk errors with their line, continuing the build", () => {
    const { dir, file } = sheet("# <script>alert(1)</script>\n\n```derive\nx +\n```\n\n```derive\neval 1/2 + 1/3 at x=1\n```\n");
    const out = join(dir, "out");
    const r = buildSheets(file, { outDir: out, modes: ["solutions"] });
    expect(r.errors.length).toBe(1);
    expect(r.errors[0]!.line).toBe(4);
    const html = readFileSync(join(out, "s.html"), "utf8");
    expect(html).not.toContain("<script>");
    expect(html).toContain("&lt;script&gt;");
    expect(html).toContain("derive-error");
    // the second chunk still ran: 5/6 ≈ 0.833333
    expect(html).toContain("0.833333");
  });

  it("runs gradient descent exactly (sheet A2) and finite-difference checks", () => {
    const { dir, file } = sheet(
      "# A\n\n```derive\nf(x1, x2) = (x1 - 6)^2 + x2^2 - x1*x2\ndescent f from x1=6, x2=6 lr 1/2, 1/3, 1/4 table\nfdcheck f at x1=1.5, x2=-2\n```\n",
    );
    const out = join(dir, "out");
    const r = buildSheets(file, { outDir: out, modes: ["solutions"] });
    expect(r.errors).toEqual([]);
    const html = readFileSync(join(out, "s.html"), "utf8");
    // the table's annotation (KaTeX keeps the LaTeX source): rows t = 1..3, exact
    expect(html).toContain("1 &amp; \\left(6, 6\\right) &amp; 0 &amp; \\left(-6, 6\\right) &amp; \\tfrac{1}{2} &amp; \\left(9, 3\\right)");
    expect(html).toContain("3 &amp; \\left(8, 4\\right) &amp; -12 &amp; \\left(0, 0\\right)");
    expect(html).toContain("\\checkmark");
    expect(html).not.toContain("\\times");
  });

  it("trains with seeded restarts on inline data (sheet B3), reproducibly", () => {
    const source =
      "# B\n\n```derive\nf = sigmoid(c + w*x)\nL = -y*log(f) - (1 - y)*log(1 - f)\ntrain L params c, w data x=0,1,2,3; y=0,0,1,1 restarts 3 lr 1 steps 50 seed 7\n```\n";
    const a = sheet(source);
    const b = sheet(source);
    const ra = buildSheets(a.file, { outDir: join(a.dir, "out"), modes: ["solutions"] });
    const rb = buildSheets(b.file, { outDir: join(b.dir, "out"), modes: ["solutions"] });
    expect(ra.errors).toEqual([]);
    expect(rb.errors).toEqual([]);
    const html = readFileSync(join(a.dir, "out", "s.html"), "utf8");
    expect(html).toContain("\\text{restart} &amp; \\text{final loss}");
    expect(html).toMatch(/best: restart [123], loss/);
    expect(readFileSync(join(b.dir, "out", "s.html"), "utf8")).toBe(html);
  });

  it("derive sheet exits non-zero on chunk errors and names the sheet and line", () => {
    const { dir, file } = sheet("# T\n\n```derive\ndiff q(1, 2) wrt x\n```\n");
    const r = derive(["sheet", file, "--out", join(dir, "out")]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/error: .*s\.md:4: /);
    expect(r.stdout).toContain("s.html");
  });

  it("builds every sheet in derivations/ without errors", () => {
    const out = join(tmp(), "out");
    const r = derive(["sheet", "derivations", "--out", out]);
    expect(r.stderr).not.toMatch(/^error/m);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Wrote \d+ files/);
  });
});

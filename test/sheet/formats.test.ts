import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildSheets } from "../../src/sheet/index.js";
import { escapeLatex } from "../../src/sheet/latex.js";
import { derive } from "../cli/run.js";

const SHEET = `# Costs & 100% of x_1

Prose with a backslash \\\\relax, 50% off, A & B, snake_case, a ~ and {braces} and #hash and ^caret.
Inline math stays: $x_1 \\cdot 2$ and *emphasis* and **strong** and \`code_x\`.

- item one
- item two

::: solution
Secret prose.

\`\`\`derive
f(x) = x^3
diff f wrt x
\`\`\`
:::

\`\`\`derive
#| echo: false
eval 1/2 + 1/3 at x=1
\`\`\`

\`\`\`derive
#| solution: true
#| echo: false
diff x^2 wrt x
\`\`\`

The end.
`;

function build(formats: ("html" | "tex" | "md")[]): { out: string; written: string[] } {
  const dir = mkdtempSync(join(tmpdir(), "derive-formats-"));
  const file = join(dir, "s.md");
  writeFileSync(file, SHEET);
  const out = join(dir, "out");
  const r = buildSheets(file, { outDir: out, modes: ["solutions", "exercises"], formats });
  expect(r.errors).toEqual([]);
  return { out, written: r.written };
}

describe("sheet formats", () => {
  it("writes Markdown: prose as written, chunks as $$ math and fenced source, no solutions in the exercises", () => {
    const { out, written } = build(["md"]);
    expect(written.map((f) => f.slice(out.length + 1))).toEqual(["s.md", "s.exercises.md"]);
    const md = readFileSync(join(out, "s.md"), "utf8");
    const ex = readFileSync(join(out, "s.exercises.md"), "utf8");
    // prose untouched, solution block kept as text
    expect(md).toContain("Prose with a backslash \\\\relax, 50% off, A & B, snake_case");
    expect(md).toContain("::: solution\nSecret prose.\n\n```\nf(x) = x^3\ndiff f wrt x\n```\n\n$$\n");
    expect(md).toMatch(/\$\$\n\\frac\{\\partial f\(x\)\}\{\\partial x\} = 3 x\^\{2\}\n\$\$\n:::/);
    expect(md).toContain("0.833333");
    expect(md).not.toContain("```derive");
    // exercises: no solution block, no solution chunk, the other chunk still there
    expect(ex).not.toContain("Secret prose.");
    expect(ex).not.toContain(":::");
    expect(ex).toContain("0.833333");
    expect(ex).not.toContain("2 x");
    expect(ex).toContain("- item two\n\n$$");
    expect(ex.trimEnd().endsWith("The end.")).toBe(true);
  });

  it("writes a standalone LaTeX document with escaped prose and math passed through", () => {
    const { out } = build(["tex"]);
    const tex = readFileSync(join(out, "s.tex"), "utf8");
    const ex = readFileSync(join(out, "s.exercises.tex"), "utf8");
    expect(tex).toMatch(/^% .*\n\\documentclass(\[[^\]]*\])?\{article\}/);
    expect(tex).toContain("\\usepackage{amsmath}");
    expect(tex).toContain("\\usepackage{amssymb}");
    expect(tex).toContain("\\DeclareUnicodeCharacter{03C3}{\\ensuremath{\\sigma}}");
    expect(tex.trimEnd().endsWith("\\end{document}")).toBe(true);
    expect(tex).toContain("\\section*{Costs \\& 100\\% of x\\_1}");
    expect(tex).toContain(
      "Prose with a backslash \\textbackslash{}relax, 50\\% off, A \\& B, snake\\_case, a \\textasciitilde{} and \\{braces\\} and \\#hash and \\textasciicircum{}caret.",
    );
    expect(tex).toContain("Inline math stays: $x_1 \\cdot 2$ and \\emph{emphasis} and \\textbf{strong} and \\texttt{code\\_x}.");
    expect(tex).toContain("\\begin{itemize}\n\\item item one\n\\item item two\n\\end{itemize}");
    expect(tex).toContain("\\begin{solution}\nSecret prose.");
    expect(tex).toContain("\\begin{verbatim}\nf(x) = x^3\ndiff f wrt x\n\\end{verbatim}");
    expect(tex).toContain("\\[\n\\frac{\\partial f(x)}{\\partial x} = 3 x^{2}\n\\]");
    expect(tex).not.toContain("```");
    expect(ex).not.toContain("Secret prose.");
    expect(ex).not.toContain("\\begin{solution}");
    expect(ex).toContain("0.833333");
    expect(ex).not.toContain("2 x");
    // balanced environments
    for (const doc of [tex, ex]) {
      const begins = [...doc.matchAll(/\\begin\{(\w+)\}/g)].map((m) => m[1]);
      const ends = [...doc.matchAll(/\\end\{(\w+)\}/g)].map((m) => m[1]);
      expect(begins.sort()).toEqual(ends.sort());
    }
  });

  it("escapes every LaTeX special character in prose, so author text cannot be a command", () => {
    expect(escapeLatex("\\input{/etc/passwd} # $ % & ~ _ ^")).toBe(
      "\\textbackslash{}input\\{/etc/passwd\\} \\# \\$ \\% \\& \\textasciitilde{} \\_ \\textasciicircum{}",
    );
    // Unicode symbols are declared in the preamble instead (they also work in math and verbatim)
    expect(escapeLatex("σ ≈ 0.25 – fine")).toBe("σ ≈ 0.25 – fine");
  });

  it("derive sheet --format tex,md writes and lists every file, and rejects unknown formats", () => {
    const dir = mkdtempSync(join(tmpdir(), "derive-formats-"));
    const file = join(dir, "s.md");
    writeFileSync(file, SHEET);
    const out = join(dir, "out");
    const r = derive(["sheet", file, "--out", out, "--format", "tex,md"]);
    expect(r.stderr).not.toMatch(/^error/m);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("Wrote 4 files:");
    for (const f of ["s.tex", "s.md", "s.exercises.tex", "s.exercises.md"]) {
      expect(r.stdout).toContain(join(out, f));
      expect(existsSync(join(out, f))).toBe(true);
    }
    expect(existsSync(join(out, "s.html"))).toBe(false);
    const bad = derive(["sheet", file, "--out", out, "--format", "pdf"]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('sheet format "pdf" is not available; available: html, tex, md');
  });

  it("a chunk with bad options is an error in every sheet and format, and the build goes on", () => {
    const dir = mkdtempSync(join(tmpdir(), "derive-formats-"));
    const file = join(dir, "s.md");
    writeFileSync(file, "# T\n\n```derive\n#| bogus: true\nshow x\n```\n\nAfter.\n");
    const out = join(dir, "out");
    const r = buildSheets(file, { outDir: out, modes: ["solutions", "exercises"], formats: ["html", "tex", "md"] });
    expect(r.errors.map((e) => e.line)).toEqual([3]);
    expect(r.written.length).toBe(6);
    const md = readFileSync(join(out, "s.exercises.md"), "utf8");
    expect(md).toMatch(/^> \*\*error:\*\* line 4: chunk options are/m);
    expect(md).toContain("After.");
    expect(readFileSync(join(out, "s.exercises.tex"), "utf8")).toContain("\\textbf{error:} line 4: chunk options");
  });

  it("reports a LaTeX error in the author's math once, whatever the formats", () => {
    const dir = mkdtempSync(join(tmpdir(), "derive-formats-"));
    const file = join(dir, "s.md");
    writeFileSync(file, "# T\n\nBad $\\frac{1}$ math.\n");
    for (const formats of [["html"], ["tex"], ["md"], ["html", "tex", "md"]] as const) {
      const r = buildSheets(file, { outDir: join(dir, "out"), modes: ["solutions", "exercises"], formats });
      expect(r.errors.length, formats.join()).toBe(1);
      expect(r.errors[0]!.message).toContain('LaTeX error in "\\frac{1}"');
    }
  });

  it("reports a LaTeX error in the second sheet of a folder (not only in the first)", () => {
    const dir = mkdtempSync(join(tmpdir(), "derive-formats-"));
    writeFileSync(join(dir, "a.md"), "# A\n\nFine $x$.\n");
    writeFileSync(join(dir, "b.md"), "# B\n\nBad $\\frac{1}$ math.\n");
    const r = buildSheets(dir, { outDir: join(dir, "out"), modes: ["solutions", "exercises"] });
    expect(r.errors.map((e) => [e.sheet.endsWith("b.md"), e.message.slice(0, 25)])).toEqual([[true, 'LaTeX error in "\\frac{1}"']]);
  });

  it("never overwrites the sheet itself with its Markdown output", () => {
    const dir = mkdtempSync(join(tmpdir(), "derive-formats-"));
    const file = join(dir, "s.md");
    writeFileSync(file, SHEET);
    const r = buildSheets(file, { outDir: dir, modes: ["solutions", "exercises"], formats: ["md"] });
    expect(readFileSync(file, "utf8")).toBe(SHEET);
    expect(r.errors.map((e) => e.message)).toEqual([`not writing ${join(dir, "s.md")}: it is the sheet itself (choose another --out)`]);
    expect(r.written).toEqual([join(dir, "s.exercises.md")]);
  });

  const pdflatex = spawnSync("pdflatex", ["--version"]).status === 0;
  it.skipIf(!pdflatex)("compiles every generated .tex with pdflatex (skipped where pdflatex is missing)", () => {
    const { out } = build(["tex"]);
    // and the real sheets: step-by-step aligned derivations, matrices, index notation, figures,
    // solution blocks, chunk sources with Unicode (⊙, Φ, ℓ, Ŷ)
    expect(buildSheets("derivations", { outDir: out, modes: ["solutions"], formats: ["tex"] }).errors).toEqual([]);
    const sheets = ["a-gradient-descent", "b-network", "c-vanishing-gradients", "d-backprop-practice", "e-conditioning"].map((s) => `${s}.tex`);
    for (const f of ["s.tex", "s.exercises.tex", ...sheets]) {
      const r = spawnSync("pdflatex", ["-interaction=nonstopmode", "-halt-on-error", "-no-shell-escape", f], { cwd: out, encoding: "utf8", timeout: 60_000 });
      expect(r.status, `${f}: ${r.stdout.slice(-2000)}`).toBe(0);
    }
  }, 300_000);
});

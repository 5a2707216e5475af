import { describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildSheets } from "../../src/sheet/index.js";
import { runChunk, SheetScope } from "../../src/sheet/chunk.js";
import type { Block, CheckBlock } from "../../src/sheet/types.js";
import { derive } from "../cli/run.js";
import { htmlMarkdown, renderBody } from "../../src/sheet/html.js";
import { latexBlock } from "../../src/sheet/latex.js";
import { markdownBlock } from "../../src/sheet/markdown.js";

function build(text: string): { errors: Array<{ line: number; message: string }>; html: string; tex: string; md: string } {
  const dir = mkdtempSync(join(tmpdir(), "derive-check-"));
  const file = join(dir, "s.md");
  writeFileSync(file, text);
  const out = join(dir, "out");
  const r = buildSheets(file, { outDir: out, modes: ["solutions"], formats: ["html", "tex", "md"] });
  const read = (ext: string): string => readFileSync(join(out, `s.${ext}`), "utf8");
  return { errors: r.errors.map((e) => ({ line: e.line, message: e.message })), html: read("html"), tex: read("tex"), md: read("md") };
}

const checks = (blocks: readonly Block[]): CheckBlock[] => blocks.filter((b): b is CheckBlock => b.kind === "check");

function run(source: string, expect?: "valid" | "invalid" | "unknown"): ReturnType<typeof runChunk> {
  return runChunk({ line: 1, options: { echo: false, solution: false, ...(expect ? { expect } : {}) }, source, firstSourceLine: 2 }, new SheetScope());
}

describe("the check directive", () => {
  it("sees definitions with sums up to n when the claim names them (D3 in index notation)", () => {
    const { blocks, errors } = run(
      [
        "z_i = Σ_{j=1}^{d} w_ij x_j + b_i",
        "f = (y - Σ_{i=1}^{n} σ(z_i))^2",
        "check d/db_k f = 2 (Σ_{i=1}^{n} σ(z_i) - y) σ(z_k) (1 - σ(z_k))",
        "check d/db_k f = 2 (Σ_{i=1}^{n} σ(z_i) - y) σ(z_k)",
      ].join("\n"),
    );
    // the slip is caught (an error, since this chunk expects valid claims)
    expect(errors.map((e) => e.line)).toEqual([5]);
    expect(checks(blocks).map((b) => b.report.verdict)).toEqual(["valid", "invalid"]);
  });

  it("decides claims with the sheet's definitions and the values of `at`", () => {
    const { blocks, errors } = run(
      [
        "h1 = sigmoid(w1*x)",
        "check d/dx sigmoid(x) = sigmoid(x)*(1 - sigmoid(x))",
        "check dh1/dw1 = x*h1*(1 - h1)",
        "check h1 = 0.539294 at w1=0.25, x=0.63",
        "check 1/2 + 1/3 = 5/6 = 0.833",
      ].join("\n"),
    );
    expect(errors).toEqual([]);
    const c = checks(blocks);
    // the chain a = b = c is two steps
    expect(c.map((b) => b.report.verdict)).toEqual(["valid", "valid", "valid", "valid", "valid"]);
    expect(c[2]!.report.reason).toContain("0.539294 rounded to 6 decimals");
    expect(c[2]!.report.claim).toBe("h1 = 0.539294 at w1=0.25, x=0.63");
  });

  it("an invalid claim is a chunk error on its line, with the counterexample and the correct form", () => {
    const { blocks, errors } = run("z = 3*x\ncheck d/dx tanh(z) = 1 - tanh(z)^2");
    expect(errors).toHaveLength(1);
    expect(errors[0]!.line).toBe(3);
    expect(errors[0]!.message).toMatch(/invalid, expected valid/);
    const [b] = checks(blocks);
    expect(b!.report.verdict).toBe("invalid");
    expect(b!.report.expected).toBe("3 - 3*tanh(3*x)^2");
    // the same claim at a point: the sheet's value differs from the claim
    const numeric = run("check sigmoid(0.38) = 0.41");
    expect(numeric.errors).toHaveLength(1);
    expect(checks(numeric.blocks)[0]!.report.lhs).toBeCloseTo(1 / (1 + Math.exp(-0.38)), 12);
  });

  it("#| expect: invalid shows a caught mistake without an error, and fails when the claim is right", () => {
    const mistake = run("check d/dx tanh(3x) = 1 - tanh(3x)^2", "invalid");
    expect(mistake.errors).toEqual([]);
    expect(checks(mistake.blocks)[0]!.report.verdict).toBe("invalid");
    const right = run("check d/dx tanh(x) = 1 - tanh(x)^2", "invalid");
    expect(right.errors).toHaveLength(1);
    expect(right.errors[0]!.message).toMatch(/valid, expected invalid/);
  });

  it("undecidable claims are unknown (an error unless expected); a new name is no claim", () => {
    expect(run("check [[1, 0.1]] * x = 2").errors[0]!.message).toMatch(/unknown, expected valid \(.*matri/);
    expect(run("check [[1, 0.1]] * x = 2", "unknown").errors).toEqual([]);
    expect(run("check g = 3").errors[0]!.message).toMatch(/defines a new name/);
  });

  it("renders claim and verdict in HTML, LaTeX and Markdown, escaped", () => {
    const { errors, html, tex, md } = build(
      [
        "# T",
        "",
        "```derive",
        "check d/dx sigmoid(x) = sigmoid(x)*(1 - sigmoid(x))",
        "```",
        "",
        "```derive",
        "#| expect: invalid",
        "check d/dx tanh(3x) = 1 - tanh(3x)^2",
        "```",
        "",
      ].join("\n"),
    );
    expect(errors).toEqual([]);
    expect(html).toContain('<div class="derive-check derive-check-valid">');
    expect(html).toContain("<code>d/dx sigmoid(x) = sigmoid(x)*(1 - sigmoid(x))</code>");
    expect(html).toContain("invalid, as expected: the mistake is caught");
    expect(html).toContain("correct: 3 - 3*tanh(3*x)^2");
    expect(html).toContain("at x = -0.3: left side 1.460752083, right side 0.4869173611");
    expect(tex).toContain("\\textbf{valid:} \\texttt{d/dx sigmoid(x) = sigmoid(x)*(1 - sigmoid(x))}");
    expect(md).toContain("> **invalid, as expected: the mistake is caught:** ` d/dx tanh(3x) = 1 - tanh(3x)^2 `");
    expect(md).toContain("> correct: 3 - 3\\*tanh(3\\*x)^2");
  });

  it("escapes whatever a report holds, in every format", () => {
    // the verifier only reports claims it could read, so a hostile report is made by hand
    const evil = "<script>alert(1)</script> & $x$ ` \\input{x}";
    const block: CheckBlock = {
      kind: "check",
      expected: "unknown",
      report: { line: 1, claim: evil, verdict: "unknown", reason: evil, counterexample: { [evil]: 1 }, lhs: 1, rhs: 2, expected: evil },
    };
    const md = htmlMarkdown(() => {});
    const tokens = md.parse("```derive\nx\n```\n", {});
    const html = renderBody(md, tokens, new Map([[tokens[0]!, [block]]]), () => {});
    expect(html).not.toMatch(/<script|<\/script/);
    expect(html).toContain("<code>&lt;script&gt;alert(1)&lt;/script&gt; &amp; $x$ ` \\input{x}</code>");
    expect(html).toContain("unknown, as expected</span>");
    const tex = latexBlock(block);
    expect(tex).not.toMatch(/\\input|[^\\][$&]/);
    expect(tex).toContain("\\texttt{<script>alert(1)</script> \\& \\$x\\$ ` \\textbackslash{}input\\{x\\}}");
    const mdText = markdownBlock(block);
    // a code span longer than any backtick run in the claim; the details escaped
    expect(mdText).toContain("`` <script>alert(1)</script> & $x$ ` \\input{x} ``");
    expect(mdText).toContain("> \\<script\\>alert(1)\\</script\\> & \\$x\\$ \\` \\\\input\\{x\\}");
  });

  it("derive sheet exits non-zero on a wrong claim and names the line", () => {
    const dir = mkdtempSync(join(tmpdir(), "derive-check-"));
    const file = join(dir, "s.md");
    writeFileSync(file, "# T\n\n```derive\ncheck sigmoid(0) = 0.4\n```\n");
    const r = derive(["sheet", file, "--out", join(dir, "out")]);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/s\.md:4: check sigmoid\(0\) = 0\.4: invalid, expected valid/);
  });

  it("rejects an unknown expectation", () => {
    const { errors } = build("# T\n\n```derive\n#| expect: maybe\ncheck 1 = 1\n```\n");
    expect(errors[0]!.message).toMatch(/"#\| expect: valid\|invalid\|unknown"/);
  });
});

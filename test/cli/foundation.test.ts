import { describe, expect, it } from "vitest";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { derive, deriveJson } from "./run.js";

describe("derive parse", () => {
  it("prints canonical text, LaTeX and JSON", () => {
    expect(derive(["parse", "2x(x+1)"]).stdout.trim()).toBe("2*x*(x + 1)");
    expect(derive(["parse", "sigma(w_12 x)", "--format", "latex"]).stdout.trim()).toBe("\\sigma\\left(w_{12} x\\right)");
    const r = deriveJson(["parse", "1/2 + 1/3"]);
    expect(r.status).toBe(0);
    expect(r.json).toEqual({ text: "5/6", latex: "\\frac{5}{6}" });
  });

  it("reads standard input with - and files with --file", () => {
    expect(derive(["parse", "-"], { input: "x^2 - 1\n" }).stdout.trim()).toBe("x^2 - 1");
    const dir = mkdtempSync(join(tmpdir(), "derive-"));
    const file = join(dir, "net.txt");
    writeFileSync(file, "z = tanh(w*x + b)\nL = (z - y)^2\n");
    const r = derive(["parse", "--file", file]);
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe("z = tanh(b + w*x)\nL = (z - y)^2");
  });

  it("odd identifiers are ordinary names", () => {
    const r = deriveJson(["eval", "constructor + __proto__ * toString", "--at", "constructor=1,__proto__=2,toString=3"]);
    expect(r.json).toEqual({ value: 7 });
  });
});

describe("derive eval", () => {
  it("evaluates sheet A1 at (6, 6) and (8, 4)", () => {
    expect(deriveJson(["eval", "(x1 - 6)^2 + x2^2 - x1*x2", "--at", "x1=6,x2=6"]).json).toEqual({ value: 0 });
    expect(deriveJson(["eval", "(x1 - 6)^2 + x2^2 - x1*x2", "--at", "x1=8,x2=4"]).json).toEqual({ value: -12 });
  });

  it("evaluates a program through its definitions (sheet C4's loss)", () => {
    const program = "a = sigmoid(w1*x); b = sigmoid(w2*a); yhat = sigmoid(w3*b); L = -(t*log(yhat) + (1 - t)*log(1 - yhat)); L";
    const r = deriveJson(["eval", program, "--at", "w1=0.25,w2=-0.11,w3=0.78,x=0.63,t=1"]);
    expect((r.json as { value: number }).value).toBeCloseTo(0.521725, 6);
  });

  it("accepts constant expressions as values", () => {
    const r = deriveJson(["eval", "sin(x)", "--at", "x=pi/6"]);
    expect((r.json as { value: number }).value).toBeCloseTo(0.5, 12);
  });

  it("names a missing value", () => {
    const r = derive(["eval", "x + y", "--at", "x=1"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^error: .*y/);
  });
});

describe("errors", () => {
  it("a parse error shows line, column, the text at fault, what was expected and a caret", () => {
    const r = derive(["parse", "z = x + 1\ny = (x * )"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^error: line 2, column 10/);
    expect(r.stderr).toMatch(/expected/);
    expect(r.stderr).toContain("y = (x * )\n         ^");
    expect(r.stderr).not.toMatch(/    at /);
  });

  it("JSON mode also prints the error object on stdout", () => {
    const r = deriveJson(["parse", "x $ y"]);
    expect(r.status).toBe(2);
    expect(r.json).toMatchObject({ error: { line: 1, column: 3 } });
    expect((r.json as { error: { message: string } }).error.message).toMatch(/\$/);
  });

  it("unknown commands and options exit 2 with one message", () => {
    for (const args of [["frobnicate", "x"], ["parse", "x", "--nope"], ["parse", "x", "--format", "pdf"]]) {
      const r = derive(args);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/^error: /);
      expect(r.stderr).not.toMatch(/    at /);
    }
  });

  it("a --wrt or --at name that is no name is an input error, not an internal one", () => {
    for (const args of [["grad", "x + y", "--wrt", "a);process.exit(1);("], ["eval", "x", "--at", "x=1,$y=2"]]) {
      const r = derive(args);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(/^error: /);
      expect(r.stderr).not.toMatch(/internal/);
    }
  });

  it("a missing file is a clear error", () => {
    const r = derive(["parse", "--file", "/nonexistent/sheet.txt"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe("error: cannot read /nonexistent/sheet.txt: no such file\n");
  });

  it("deep nesting and huge inputs end with a result or a clear error", () => {
    const deep = "(".repeat(10_000) + "x" + ")".repeat(10_000);
    const r1 = derive(["parse", "-"], { input: deep });
    expect([0, 2]).toContain(r1.status);
    if (r1.status === 2) expect(r1.stderr).toMatch(/^error: /);
    const nested = "sigmoid(".repeat(10_000) + "x" + ")".repeat(10_000);
    const r2 = derive(["eval", "-", "--at", "x=1"], { input: nested });
    expect([0, 2]).toContain(r2.status);
    if (r2.status === 2) expect(r2.stderr).toMatch(/^error: [^\n]+\n/);
    const huge = Array.from({ length: 100_000 }, (_, i) => `x${i % 7}`).join(" + ");
    const r3 = derive(["eval", "-", "--at", "x0=1,x1=1,x2=1,x3=1,x4=1,x5=1,x6=1"], { input: huge });
    expect(r3.status).toBe(0);
    expect(r3.stdout.trim()).toBe("100000");
  });
});

describe("help and version", () => {
  it("--version prints the package version", () => {
    const r = derive(["--version"]);
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it("a bare derive is a usage error; derive help is not", () => {
    const bare = derive([]);
    expect(bare.status).toBe(2);
    expect(bare.stderr).toContain("Usage: derive");
    expect(derive(["help"]).status).toBe(0);
    expect(derive(["help", "diff"]).stdout).toContain("derive diff");
  });

  it("every command has --help", () => {
    for (const c of ["parse", "eval", "simplify", "diff", "grad", "hessian"]) {
      const r = derive([c, "--help"]);
      expect(r.status).toBe(0);
      expect(r.stdout).toContain(`derive ${c}`);
    }
  });
});

/**
 * Step-by-step derivations: golden traces of the sheet problems (A4, B2, C5), and properties over
 * random expressions: every line's text re-parses, consecutive lines are equal in value, the
 * trace ends at the derivative, and every LaTeX string is accepted by KaTeX.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import katex from "katex";
import { readFileSync } from "node:fs";
import { sym, type Expr } from "../../src/ast/index.js";
import { differentiate, differentiateProgram } from "../../src/diff/index.js";
import { evaluate } from "../../src/numeric/index.js";
import { inline } from "../../src/program/index.js";
import { parseExpression, parseProgram } from "../../src/parse/index.js";
import { derivation, readStep, resolveLine, type Derivation } from "../../src/steps/index.js";
import { simplify } from "../../src/simplify/index.js";
import { displayText, renderLines, stepsToHtml, stepsToJson, stepsToLatex, stepsToMarkdown, stepsToText } from "../../src/render/steps.js";
import { arbExpr, arbPoint } from "../support/arbitrary.js";
import { GOLDEN, NETWORK, C5 } from "./cases.js";
import { runChunk, SheetScope } from "../../src/sheet/chunk.js";

const renders = (latex: string): string => katex.renderToString(latex, { throwOnError: true, strict: "ignore", displayMode: true });

function value(e: Expr, point: ReadonlyMap<string, number>): number {
  try {
    return evaluate(e, point);
  } catch {
    return NaN;
  }
}

const close = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(a), Math.abs(b));

function caseDerivation(c: (typeof GOLDEN)[number]): Derivation {
  return derivation(parseProgram(c.input), c.wrt, { level: c.level, target: c.target ? parseExpression(c.target) : undefined });
}

describe("golden traces (sheet problems A4, B2, C5)", () => {
  for (const c of GOLDEN) {
    it(c.name, () => {
      const expected = readFileSync(new URL(`./golden/${c.name}.txt`, import.meta.url), "utf8");
      expect(stepsToText(caseDerivation(c)) + "\n").toBe(expected);
    });
  }

  it("every golden trace is a chain of equalities (numerically, at random points) with valid LaTeX", () => {
    const points = [0.3, -0.7, 1.1].map((s, k) => (name: string) => Math.sin(name.length * 7.3 + name.charCodeAt(0) * s + k) * 1.5);
    for (const c of GOLDEN) {
      const d = caseDerivation(c);
      renders(stepsToLatex(d));
      for (const point of points) {
        const program = d.program;
        let previous: number | undefined;
        for (const line of d.lines) {
          const e = resolveLine(line.rhs, d.operators, program);
          const names = new Set<string>();
          const at = new Map<string, number>();
          for (const s of program.variables) names.add(s);
          for (const n of names) at.set(n, point(n));
          const v = value(e, at);
          if (line.lhs) {
            const l = value(resolveLine(line.lhs, d.operators, program), at);
            expect(close(l, v), `${c.name}: ${displayText(line.lhs, d.operators)} = ${displayText(line.rhs, d.operators)}`).toBe(true);
            previous = v;
          } else {
            expect(close(previous!, v), `${c.name}: = ${displayText(line.rhs, d.operators)}`).toBe(true);
            previous = v;
          }
        }
      }
    }
  });

  it("the chain view ends at the total derivative through the definitions", () => {
    const program = parseProgram(NETWORK);
    const wrt = ["b1", "b2", "w11", "w12", "w21", "w22", "c", "u1", "u2", "x1", "x2"];
    const d = derivation(program, wrt, { level: "chain" });
    const at = new Map(program.variables.map((v, i) => [v, 0.3 + 0.17 * i - (i % 3) * 0.4] as [string, number]));
    for (const r of d.results) {
      const expected = value(inline(program, differentiateProgram(program, r.wrt)), at);
      expect(close(value(inline(program, r.result), at), expected), r.wrt).toBe(true);
    }
    expect(d.results.find((r) => r.wrt === "c")!.result).toBe(parseExpression("f_out - y"));
  });

  it("shares local derivatives between gradients: each is derived once", () => {
    const d = derivation(parseProgram(NETWORK), ["b2", "w12", "x1"], { level: "chain" });
    const lhs = renderLines(d).filter((l) => l.lhs !== undefined && l.lhs !== `d/d${"b2"}(L)`).map((l) => l.lhs);
    const locals = lhs.filter((l) => !/^d\/d(b2|w12|x1)\(L\)$/.test(l!));
    expect(new Set(locals).size).toBe(locals.length);
    const c5 = derivation(parseProgram(C5), ["w3", "w2", "w1"], { level: "chain" });
    expect(renderLines(c5).filter((l) => l.lhs === "d/dy(L)")).toHaveLength(1);
  });
});

describe("the chain view of sheet B reuses ∂L/∂f_in = f_out - y", () => {
  it("works ∂L/∂f_in out once, on its own lines, and starts every later gradient from it", () => {
    const d = derivation(parseProgram(NETWORK), ["c", "u1", "b2", "w12", "x1"], { level: "chain" });
    const lines = renderLines(d);
    const at = lines.flatMap((l, i) => (l.lhs === "d/df_in(L)" ? [i] : []));
    expect(at).toHaveLength(1);
    expect(lines[at[0]!]!.text).toBe("d/df_out(L)*d/df_in(f_out)");
    expect(lines[at[0]! + 2]).toMatchObject({ text: "f_out - y", rule: "simplification" });
    // the first chain line is the textbook product; every later one starts from ∂L/∂f_in
    const chains = lines.filter((l) => l.rule.startsWith("chain rule") && l.lhs !== "d/df_in(L)");
    expect(chains.map((l) => l.lhs)).toEqual(["d/dc(L)", "d/du1(L)", "d/db2(L)", "d/dw12(L)", "d/dx1(L)"]);
    expect(chains[0]!.text).toBe("d/df_out(L)*d/df_in(f_out)*d/dc(f_in)");
    for (const l of chains.slice(1)) {
      expect(l.text.startsWith("d/df_in(L)*"), l.text).toBe(true);
      expect(l.text).not.toContain("d/df_out(L)");
      expect(l.rule).toContain("reusing d/df_in(L)");
    }
    // substituted, the gradients hold f_out - y instead of the product it simplified
    for (const l of lines.filter((x) => x.rule.startsWith("substitution") && x.lhs !== undefined && x.lhs !== "d/df_in(L)")) {
      expect(l.text).toContain("(f_out - y)".slice(l.lhs === "d/dc(L)" ? 1 : 0, l.lhs === "d/dc(L)" ? -1 : undefined));
      expect(l.text).not.toContain("1 - f_out");
    }
  });
  it("gives no line of its own to a product the simplifier does not shorten", () => {
    const lines = renderLines(derivation(parseProgram(C5), ["w3", "w2", "w1"], { level: "chain" }));
    expect(lines.filter((l) => l.lhs === "d/ds2(L)" || l.lhs === "d/ds1(L)")).toEqual([]);
  });
  it("works a local derivative out on the spot when d/dx(n) would read as the total derivative", () => {
    // b holds x directly and through a: ∂b/∂x with a fixed is a + 4x, the total derivative is 2x
    const d = derivation(parseProgram("a = -x; b = x*(a + 2*x); L = b^2; L"), ["x"], { level: "chain" });
    const lines = renderLines(d);
    expect(lines[0]!.text).toBe("d/db(L)*d/da(b)*d/dx(a) + d/db(L)*(a + 2*x + 2*x)");
    expect(lines.some((l) => l.lhs === "d/dx(b)")).toBe(false);
  });
});

describe("rule-by-rule traces", () => {
  it("refer back to a derivative worked out earlier instead of deriving it again", () => {
    const d = derivation(parseProgram("f = sigmoid(w*x+b); L = (f-y)^2 + f; L"), ["w"]);
    const lines = renderLines(d);
    const back = lines.findIndex((l) => l.rule === "as in line 3");
    expect(back).toBeGreaterThan(3);
    expect(lines[2]!.rule).toBe("definition of f");
    // d/dw(f) is replaced by what line 3 started, not derived from its definition a second time
    expect(lines.filter((l) => l.rule === "definition of f")).toHaveLength(1);
  });
  it("name each rule: constant, variable, quotient, chain, definition", () => {
    expect(derivation(parseProgram("3"), ["x"]).lines[0]!.rule).toBe("constant");
    expect(derivation(parseProgram("x"), ["x"]).lines[0]!.rule).toBe("variable");
    expect(derivation(parseProgram("sin(x)/x"), ["x"]).lines[0]!.rule).toBe("quotient rule");
    expect(derivation(parseProgram("tanh(2*x)"), ["x"]).lines[0]!.rule).toBe("chain rule, derivative of tanh");
    expect(derivation(parseProgram("2^x"), ["x"]).lines[0]!.rule).toBe("exponential rule");
    expect(derivation(parseProgram("x^x"), ["x"]).lines[0]!.rule).toBe("general power rule");
  });
});

describe("the sheet directive", () => {
  it("steps EXPR wrt x [chain] [target EXPR] renders an aligned derivation", () => {
    const scope = new SheetScope();
    const source = [...NETWORK.split("\n"), "steps L wrt c chain", "steps 1/(1 + exp(-x)) wrt x target sigmoid(x)*(1 - sigmoid(x))"].join("\n");
    const { blocks, errors } = runChunk({ line: 1, options: { echo: false, solution: false }, source, firstSourceLine: 2 }, scope);
    expect(errors).toEqual([]);
    expect(blocks).toHaveLength(2);
    for (const b of blocks) {
      expect(b.kind).toBe("math");
      if (b.kind === "math") renders(b.latex);
    }
    expect((blocks[0] as { latex: string }).latex).toContain("\\frac{\\partial L}{\\partial c}");
    expect((blocks[1] as { latex: string }).latex).toContain("\\text{definition of sigmoid}");
  });
});

describe("show that", () => {
  it("σ' = σ(1 - σ) ends at the target, through the definition of σ", () => {
    const d = derivation(parseProgram("1/(1+exp(-x))"), ["x"], { target: parseExpression("sigmoid(x)*(1-sigmoid(x))") });
    const last = d.lines[d.lines.length - 1]!;
    expect(last.rhs).toBe(parseExpression("sigmoid(x)*(1-sigmoid(x))"));
    expect(last.rule).toBe("definition of sigmoid");
    expect(d.notes).toEqual([]);
  });
  it("falls back to a verified equality when no rewriting path is found, and says so", () => {
    const d = derivation(parseProgram("x^3"), ["x"], { target: parseExpression("3*x*x") });
    expect(d.lines[d.lines.length - 1]!.rhs).toBe(parseExpression("3*x*x"));
    const wrong = () => derivation(parseProgram("x^3"), ["x"], { target: parseExpression("x^2") });
    expect(wrong).toThrow(/not equal to the target/);
  });
});

describe("show that: a bounded search of named algebraic steps", () => {
  const CASES: ReadonlyArray<readonly [string, string, string]> = [
    // sheet B2: the BCE gradient through the sigmoid is f - y
    ["f = sigmoid(z); L = -y*log(f) - (1-y)*log(1-f); L", "z", "f - y"],
    ["f = sigmoid(z); L = (f - y)^2/2; L", "z", "f*(1 - f)*(f - y)"],
    // softplus' = σ, written through exp, and σ' back in exp form
    ["log(1 + exp(x))", "x", "sigmoid(x)"],
    ["sigmoid(x)", "x", "exp(-x)/(1 + exp(-x))^2"],
    // tanh' = 1 - tanh² = 4/(e^x + e^-x)² (sech²)
    ["tanh(x)", "x", "4/(exp(x) + exp(-x))^2"],
    ["x*sigmoid(x)", "x", "sigmoid(x)*(1 + x*(1 - sigmoid(x)))"],
    ["(x + 1)^2", "x", "2*x + 2"],
  ];
  for (const [input, wrt, target] of CASES) {
    it(`${input} by ${wrt} = ${target}, every step a named move checked equal`, () => {
      const program = parseProgram(input);
      const d = derivation(program, [wrt], { target: parseExpression(target) });
      expect(d.notes).toEqual([]);
      expect(d.lines[d.lines.length - 1]!.rhs).toBe(parseExpression(target));
      for (const l of d.lines) expect(l.rule).not.toMatch(/^(algebra|verified equality)/);
      const json = stepsToJson(d) as { steps: Array<{ text: string; lhs?: string }>; definitions: string[] };
      for (const s of [0.37, -1.21, 0.83]) {
        const at = new Map(["x", "y", "z"].map((n, i) => [n, s + 0.3 * i] as [string, number]));
        const values = [json.steps[0]!.lhs!, ...json.steps.map((x) => x.text)].map((t) => value(readStep(t, json.definitions), at));
        for (const v of values) expect(close(v, values[0]!), `${values}`).toBe(true);
      }
    });
  }
  it("says so when no chain of moves is found and the equality holds only numerically", () => {
    // (1 + sign(x))/2 and step(x) differ at 0 alone, where step(0) = 0: no identity rewrites one into the other
    const d = derivation(parseProgram("(x + abs(x))/2"), ["x"], { target: parseExpression("step(x)") });
    expect(d.notes[0]).toMatch(/no rewriting path/);
    expect(d.lines[d.lines.length - 1]!.rule).toMatch(/^verified equality/);
  });
  it("ends at the simplified derivative of random expressions, every step equal to the one before", () => {
    let found = 0;
    fc.assert(
      fc.property(arbExpr({ symbols: ["x", "y"], depth: 3, functions: ["sigmoid", "tanh", "exp", "log", "sin"] }), arbPoint(["x", "y"]), (e, point) => {
        const target = simplify(differentiate(e, sym("x")));
        const d = derivation({ definitions: [], target: e, variables: ["x", "y"] }, ["x"], { target });
        if (d.lines[d.lines.length - 1]!.rhs !== target) return false;
        if (d.notes.length === 0) found++;
        const lines = renderLines(d);
        const values = [lines[0]!.lhs!, ...lines.map((l) => l.text)].map((t) => value(parseExpression(t), point));
        if (!values.every(Number.isFinite)) return true;
        return values.every((v) => close(v, values[0]!));
      }),
      { numRuns: 60, seed: 5 },
    );
    expect(found).toBeGreaterThan(30);
  });
});

describe("traces of random expressions", () => {
  const SYMBOLS = ["x", "y"] as const;
  it("re-parse, are chains of equalities, end at the derivative, and render in KaTeX", () => {
    let compared = 0;
    let skipped = 0;
    fc.assert(
      fc.property(arbExpr({ symbols: SYMBOLS, depth: 4 }), arbPoint(SYMBOLS), (e, point) => {
        const d = derivation({ definitions: [], target: e, variables: ["x", "y"] }, ["x"]);
        const lines = renderLines(d);
        renders(stepsToLatex(d));
        for (const l of lines) renders(l.latex);
        const values = lines.map((l) => value(parseExpression(l.text), point));
        const first = value(parseExpression(lines[0]!.lhs!), point);
        const reference = value(differentiate(e, sym("x")), point);
        const all = [first, ...values, reference];
        if (!all.every(Number.isFinite)) {
          skipped++;
          return true;
        }
        compared++;
        for (let i = 1; i < all.length; i++) if (!close(all[i - 1]!, all[i]!)) return false;
        return true;
      }),
      { numRuns: 200, seed: 7 },
    );
    expect(compared).toBeGreaterThan(0.5 * (compared + skipped));
  });
});

describe("formats", () => {
  it("JSON has the result, each step's rule, text and LaTeX, and the aligned block", () => {
    const d = derivation(parseProgram("x^2 sin(x)"), ["x"]);
    const json = stepsToJson(d) as { result: string; steps: Array<{ rule: string; text: string; latex: string }>; latex: string };
    expect(json.result).toBe("x*(x*cos(x) + 2*sin(x))");
    expect(json.steps[0]!.rule).toBe("product rule");
    expect(json.latex.startsWith("\\begin{aligned}")).toBe(true);
    for (const s of json.steps) expect(() => parseExpression(s.text)).not.toThrow();
  });
  it("Markdown and HTML carry the derivation; the HTML page needs nothing from outside", () => {
    const d = derivation(parseProgram(NETWORK), ["c"], { level: "chain" });
    expect(stepsToMarkdown(d)).toContain("\\begin{aligned}");
    expect(stepsToMarkdown(d)).toContain("**Result:** $\\frac{\\partial L}{\\partial c} = f_{\\text{out}} - y$");
    expect(stepsToMarkdown(derivation(parseProgram("x*y"), ["x"]))).toContain("$\\frac{d}{d x}\\left(x y\\right) = y$");
    // the names in the lines stand for the program's definitions: both pages show them first
    expect(stepsToMarkdown(d)).toMatch(/^With the definitions\n\n\$\$\n\\begin\{aligned\}\nz_\{1,\\text\{in\}\} &= /);
    expect(stepsToMarkdown(d)).toContain("f_{\\text{out}} &= \\sigma\\left(f_{\\text{in}}\\right)");
    expect(stepsToMarkdown(derivation(parseProgram("x*y"), ["x"]))).not.toContain("With the definitions");
    const html = stepsToHtml(d, "∂L/∂c");
    expect(html).toContain("class=\"katex");
    expect(html).toContain("<p>With the definitions</p>");
    expect(html).toContain("data:font/woff2;base64,");
    expect(html).not.toMatch(/(?:src|href)="?https?:/);
    expect(html).not.toMatch(/url\(fonts\//);
  });
});

/**
 * Huge and absurd inputs end in a result or a clear DeriveError: never a stack overflow, never
 * a hang. (No timing thresholds; the per-test timeout is generous.)
 */
import { describe, expect, it } from "vitest";
import { add, call, num, postorder, sym, type Expr } from "../../src/ast/index.js";
import { DeriveError } from "../../src/errors.js";
import { evaluate } from "../../src/numeric/index.js";
import { MAX_NESTING, MAX_STATEMENT_TOKENS, parseExpression, parseProgram } from "../../src/parse/index.js";
import { inline } from "../../src/program/index.js";
import { deriveError } from "./helpers.js";

const LONG = 120_000;
const x = sym("x");

function nested(open: string, close: string, levels: number, inner = "x"): string {
  return open.repeat(levels) + inner + close.repeat(levels);
}

describe("deep nesting", () => {
  it("accepts nesting up to the limit", () => {
    expect(MAX_NESTING).toBe(1000);
    expect(parseExpression(nested("(", ")", 1000))).toBe(x);
    expect(parseExpression(nested("[(", ")]", 500))).toBe(x);
    let chain: Expr = x;
    for (let i = 0; i < 999; i++) chain = call("sigmoid", chain);
    const parsed = parseExpression(nested("sigmoid(", ")", 999));
    expect(parsed).toBe(chain);
    expect(parsed.depth).toBe(1000);
  });

  it("refuses 10,000 nested parentheses up front, naming the limit", () => {
    const err = deriveError(() => parseExpression(nested("(", ")", 10_000)));
    expect(err.message).toBe("line 1, column 1001: too deeply nested: more than 1000 levels of parentheses and brackets");
    expect(err.position).toEqual({ line: 1, column: 1001 });
  }, LONG);

  it("refuses 10,000 nested function applications", () => {
    const err = deriveError(() => parseExpression(nested("sigmoid(", ")", 10_000)));
    expect(err.message).toMatch(/too deeply nested: more than 1000 levels/);
  }, LONG);

  it("refuses an expression deeper than the limit without brackets to count", () => {
    // 1000 applications: 1000 brackets are fine, the expression is 1001 deep
    expect(deriveError(() => parseExpression(nested("sigmoid(", ")", 1000))).message).toMatch(/more than 1000 levels deep/);
    // a power tower is a chain of right-nested powers
    expect(parseExpression(Array(1000).fill("x").join("^")).depth).toBe(1000);
    expect(deriveError(() => parseExpression(Array(1001).fill("x").join("^"))).message).toMatch(/more than 1000 levels deep/);
    expect(deriveError(() => parseExpression(Array(100_000).fill("x").join("^"))).message).toMatch(/more than 1000 levels deep/);
    // sums inside products inside sums…
    expect(deriveError(() => parseExpression("(x*(y+".repeat(500) + "1" + "))".repeat(500))).message).toMatch(/more than 1000 levels deep/);
  }, LONG);

  it("refuses deeply nested user functions once applied", () => {
    const lines = ["f0(t) = sigmoid(t)"];
    for (let i = 1; i < 1100; i++) lines.push(`f${i}(t) = f${i - 1}(sigmoid(t))`);
    lines.push("f1099(x)");
    expect(deriveError(() => parseProgram(lines.join("\n"))).message).toMatch(/too deeply nested/);
  }, LONG);

  it("handles long chains that do not nest: signs, superscripts, implicit products", () => {
    expect(parseExpression("-".repeat(100_001) + "x")).toBe(parseExpression("-x"));
    expect(parseExpression("- ".repeat(100_000) + "x")).toBe(x);
    expect(parseExpression("x" + "²".repeat(10)).depth).toBe(2);
    const product = parseExpression(Array.from({ length: 50_000 }, (_, i) => `x${i}`).join(" "));
    expect(product.kind === "mul" && product.args.length).toBe(50_000);
  }, LONG);

  it("reports an unclosed bracket deep inside", () => {
    const err = deriveError(() => parseExpression("(x + ".repeat(900) + "1"));
    expect(err.message).toMatch(/^line 1, column 4502: unexpected end of input; expected .*"\)"/);
  });
});

describe("big inputs", () => {
  it("a 1 MB sum of 100,000 terms", () => {
    const text = Array.from({ length: 100_000 }, (_, i) => `${(i % 7) + 1}*w${i}`).join(" + ");
    expect(text.length).toBeGreaterThan(1_000_000);
    const e = parseExpression(text);
    expect(e.kind === "add" && e.args.length).toBe(100_000);
    const values = new Map<string, number>();
    for (let i = 0; i < 100_000; i++) values.set(`w${i}`, 1);
    let expected = 0;
    for (let i = 0; i < 100_000; i++) expected += (i % 7) + 1;
    expect(evaluate(e, values)).toBe(expected);
  }, LONG);

  it("a 1 MB program of many short lines", () => {
    const lines = Array.from({ length: 50_000 }, (_, i) => `a_${i} = x_${i % 100}^2 * w${i}`);
    lines.push("L = a_0 + a_49999");
    const text = lines.join("\n");
    expect(text.length).toBeGreaterThan(1_000_000);
    const p = parseProgram(text);
    expect(p.definitions).toHaveLength(50_001);
    expect(p.targetName).toBe("L");
    expect(p.variables.slice(0, 4)).toEqual(["x0", "w0", "x1", "w1"]);
    expect(p.variables).toHaveLength(50_100);
    expect(evaluate(inline(p), new Map([["x0", 2], ["w0", 3], ["x99", 1], ["w49999", 5]]))).toBe(17);
  }, LONG);

  it("a program whose definitions chain deeper than the limit once inlined", () => {
    const lines = ["z0 = x"];
    for (let i = 1; i <= 40_000; i++) lines.push(`z${i} = tanh(z${i - 1} * w + b)`);
    const err = deriveError(() => parseProgram(lines.join("\n")));
    expect(err.message).toMatch(/^line \d+, column 1: too deeply nested: z\d+, with the definitions it uses substituted, is \d+ levels deep \(the limit is 1000\)$/);
  }, LONG);

  it("a long chain of definitions within the limit", () => {
    const lines = ["z0 = x"];
    for (let i = 1; i <= 300; i++) lines.push(`z${i} = sigmoid(z${i - 1})`);
    const p = parseProgram(lines.join("\n"));
    let expected: Expr = x;
    for (let i = 0; i < 300; i++) expected = call("sigmoid", expected);
    expect(inline(p)).toBe(expected);
  });

  it("a cycle through a long chain of definitions", () => {
    const lines = ["z0 = z20000"];
    for (let i = 1; i <= 20_000; i++) lines.push(`z${i} = z${i - 1} + 1`);
    const err = deriveError(() => parseProgram(lines.join("\n")));
    expect(err.message).toBe("line 1, column 1: definitions form a cycle: z0 → z20000 → z19999 → z19998 → z19997 → … → z1 → z0 (20001 definitions)");
  }, LONG);

  it("a function of 20,000 parameters", () => {
    const params = Array.from({ length: 20_000 }, (_, i) => `p${i}`);
    const p = parseProgram(`f(${params.join(", ")}) = p0 - p19999\nf(${params.map((_, i) => String(i)).join(", ")})`);
    expect(p.target).toBe(num(-19_999));
    expect(parseProgram(`f(${params.join(", ")}) = p0`).variables).toHaveLength(20_000);
  }, LONG);

  it("refuses a single statement longer than the token limit", () => {
    const err = deriveError(() => parseExpression("-".repeat(MAX_STATEMENT_TOKENS + 10) + "x"));
    expect(err.message).toBe(`line 1, column 1: statement too long: more than ${MAX_STATEMENT_TOKENS} tokens (split it into several definitions)`);
  }, LONG);

  it("1 MB of one name, of spaces, of a comment, of digits", () => {
    const mb = 1 << 20;
    expect(parseExpression("x".repeat(mb))).toBe(sym("x".repeat(mb)));
    expect(parseExpression(" ".repeat(mb) + "x")).toBe(x);
    expect(parseProgram("# " + "c".repeat(mb) + "\nx").target).toBe(x);
    expect(parseExpression("1".repeat(mb)).kind).toBe("num");
    expect(() => parseExpression("1e999999999")).toThrow(DeriveError);
  }, LONG);

  it("1 MB of garbage fails at the first bad character", () => {
    expect(deriveError(() => parseExpression("x + " + "$".repeat(1 << 20))).message).toBe('line 1, column 5: unexpected character "$"');
    expect(deriveError(() => parseExpression(")".repeat(100_000))).message).toMatch(/^line 1, column 1: unexpected "\)"/);
    expect(deriveError(() => parseExpression(")".repeat(1 << 20))).message).toMatch(/^line 1, column 1: statement too long/);
  }, LONG);

  it("many statements with errors: the first one is reported", () => {
    const text = Array.from({ length: 10_000 }, (_, i) => `a${i} = ${i}`).join("\n") + "\nb = (1 +\n";
    expect(deriveError(() => parseProgram(text)).message).toMatch(/^line 10001, column 9: unexpected end of input/);
  }, LONG);

  it("builds shared structure for repeated subexpressions", () => {
    const term = "sigmoid(w x + b)";
    const e = parseExpression(Array(1000).fill(term).join(" + "));
    expect(e).toBe(add(...Array(1000).fill(parseExpression(term))));
    expect(postorder(e).length).toBeLessThan(20);
    expect(num(1000)).toBe(num(1000));
  });
});

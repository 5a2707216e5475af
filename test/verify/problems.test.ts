import { describe, expect, it } from "vitest";
import { checkDocument } from "../../src/verify/index.js";
import { SOLUTIONS } from "./solutions.js";

describe("the solutions of problems.md, written in LaTeX", () => {
  for (const solution of SOLUTIONS) {
    it(`${solution.name}: every step is valid`, () => {
      const report = checkDocument(solution.markdown, { kind: "markdown" });
      const bad = report.steps.filter((s) => s.verdict !== "valid");
      expect(bad).toEqual([]);
      expect(report.steps.length).toBeGreaterThan(0);
      expect(report.valid).toBe(true);
    });
    for (const broken of solution.broken) {
      it(`${solution.name}, ${broken.name}: invalid at line ${broken.line}`, () => {
        const report = checkDocument(broken.markdown, { kind: "markdown" });
        const first = report.steps.find((s) => s.verdict !== "valid");
        expect(first, JSON.stringify(report.steps, null, 1)).toBeDefined();
        expect(first!.verdict).toBe("invalid");
        expect(first!.line).toBe(broken.line);
        if (broken.reason) expect(first!.reason).toContain(broken.reason);
        expect(report.valid).toBe(false);
      });
    }
  }
});

// Rewrites test/steps/golden/*.txt from the current engine (review the diff before committing).
// Run: npx tsx scripts/golden-steps.ts
import { writeFileSync } from "node:fs";
import { parseExpression, parseProgram } from "../src/parse/index.js";
import { derivation } from "../src/steps/index.js";
import { stepsToText } from "../src/render/steps.js";
import { GOLDEN } from "../test/steps/cases.js";

for (const c of GOLDEN) {
  const d = derivation(parseProgram(c.input), c.wrt, { level: c.level, target: c.target ? parseExpression(c.target) : undefined });
  writeFileSync(new URL(`../test/steps/golden/${c.name}.txt`, import.meta.url), stepsToText(d) + "\n");
}

import { stringOption, type CommandSpec } from "../command.js";
import { parseExpression, parseProgram } from "../../parse/index.js";
import { derivation, type StepsLevel } from "../../steps/index.js";
import { programToText } from "../../render/index.js";
import { stepsToHtml, stepsToJson, stepsToLatex, stepsToMarkdown, stepsToText } from "../../render/steps.js";
import { DeriveError } from "../../errors.js";
import { wrtNames } from "./shared.js";
import { matrixSetup, matrixSteps } from "./matrix.js";
import { indexSetup, indexSteps } from "./index-program.js";

const LEVELS: readonly StepsLevel[] = ["full", "chain", "none"];

export const stepsCommand: CommandSpec = {
  name: "steps",
  summary: "derive step by step: rule-by-rule traces, the backprop chain view, show-that proofs",
  examples: [
    'derive steps "x^2 sin(x)" --wrt x',
    'derive steps "1/(1+exp(-x))" --wrt x --target "sigmoid(x)*(1-sigmoid(x))"',
    'derive steps --file network.txt --wrt c --steps chain',
    'derive steps --file network.txt --wrt b1,b2,w11,w12,w21,w22,c,u1,u2 --steps chain --format html > backprop.html',
  ],
  options: [
    { flags: "--wrt <names>", description: "variables to differentiate by (several: one derivation after another); default: the first variable" },
    { flags: "--steps <level>", description: "full (every rule), chain (the backprop view through definitions) or none", defaultValue: "full" },
    { flags: "--target <expr>", description: "show that the derivative equals this expression, step by step" },
    { flags: "--elementwise", description: "matrix programs: derive each gradient entry by entry with Kronecker deltas (as sheet C1), then in matrix form" },
  ],
  formats: ["text", "latex", "markdown", "html", "json"],
  run(input, options) {
    const indexed = indexSetup(input, options);
    if (indexed) return indexSteps(indexed, options);
    const matrix = matrixSetup(input, options);
    if (matrix) return matrixSteps(matrix, options);
    if (options.elementwise === true) throw new DeriveError("--elementwise derives the gradients of matrix programs entry by entry; this input has no vectors or matrices");
    const program = parseProgram(input);
    const levelText = stringOption(options, "steps") ?? "full";
    if (!(LEVELS as readonly string[]).includes(levelText)) throw new DeriveError(`--steps expects one of ${LEVELS.join(", ")}, got "${levelText}"`);
    const level = levelText as StepsLevel;
    const wrtText = stringOption(options, "wrt");
    const wrt = wrtText === undefined ? wrtNames(undefined, program).slice(0, 1) : wrtNames(wrtText, program);
    if (wrt.length === 0) throw new DeriveError("nothing to differentiate by: the input has no variables; give --wrt");
    const targetText = stringOption(options, "target");
    let target;
    try {
      target = targetText === undefined ? undefined : parseExpression(targetText);
    } catch (err) {
      if (err instanceof DeriveError) throw new DeriveError(`--target: ${err.message}`, undefined, err.detail);
      throw err;
    }
    const d = derivation(program, wrt, { level, target });
    const title = `Derivative of ${program.targetName ?? programToText({ ...program, definitions: [] })} with respect to ${wrt.join(", ")}`;
    return {
      json: stepsToJson(d),
      text: stepsToText(d),
      latex: stepsToLatex(d),
      markdown: stepsToMarkdown(d),
      html: stepsToHtml(d, title),
    };
  },
};

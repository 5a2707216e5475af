import { stringOption, type CommandSpec } from "../command.js";
import { parseProgram } from "../../parse/index.js";
import { DeriveError } from "../../errors.js";
import { canonicalName } from "../../parse/names.js";
import { splitNames } from "../io.js";
import { codegen } from "../../compile/codegen.js";
import { wrtNames } from "./shared.js";
import { numberOption, reduceOption } from "./descent.js";

export const codegenCommand: CommandSpec = {
  name: "codegen",
  summary: "standalone, readable code (JavaScript, Python/NumPy or R) computing the value and the gradient",
  examples: [
    'derive codegen "(x1 - 6)^2 + x2^2 - x1*x2" --wrt x1,x2 --lang python',
    'derive codegen --file net.txt --wrt b1,b2,w11,w12,w21,w22,c,u1,u2 --data x1,x2,y --lang r',
  ],
  options: [
    { flags: "--wrt <names>", description: "the gradient's variables, comma-separated (default: every variable that is not data)" },
    { flags: "--lang <language>", description: "js, python or r", defaultValue: "js" },
    { flags: "--data <names>", description: "names of data columns: the function takes arrays and returns the mean (or sum) over the rows" },
    { flags: "--reduce <how>", description: "mean or sum over the data rows", defaultValue: "mean" },
    { flags: "--name <name>", description: "the generated function's name" },
    { flags: "--guard <eps>", description: "add eps inside every log, as the sheets do (1e-15)" },
  ],
  run(input, options) {
    const program = parseProgram(input);
    const data = (splitNames(stringOption(options, "data")) ?? []).map(canonicalName);
    for (const d of data) if (!program.variables.includes(d)) throw new DeriveError(`--data ${d}: the program has no variable ${d}`);
    const wrt = stringOption(options, "wrt") === undefined ? program.variables.filter((v) => !data.includes(v)) : wrtNames(stringOption(options, "wrt"), program);
    const out = codegen(program, {
      language: stringOption(options, "lang") ?? "js",
      params: wrt,
      data,
      reduce: reduceOption(options),
      guard: numberOption(options, "guard", "--guard"),
      name: stringOption(options, "name"),
    });
    const json = { language: out.language, name: out.name, params: out.params, data: out.data, inputs: out.fixed, arguments: out.argumentNames, code: out.code };
    return { json, text: out.code.replace(/\n$/, ""), latex: out.code };
  },
};

import { stringOption, type CommandSpec } from "../command.js";
import { indexSetup, indexDiff } from "./index-program.js";
import { matrixSetup, matrixDiff } from "./matrix.js";
import { parseProgram } from "../../parse/index.js";
import { programDerivative } from "../../diff/sequence.js";
import { programToText, toLatex, toText } from "../../render/index.js";
import { jsonNumber } from "../io.js";
import { DeriveError } from "../../errors.js";
import { keepNames, KEEP_OPTION, orderOption, parseBindings, RAW_OPTION, valueAt, wrtNames } from "./shared.js";

export const diffCommand: CommandSpec = {
  name: "diff",
  summary: "differentiate an expression or program (total derivative through its definitions)",
  examples: [
    'derive diff "sigmoid(x)" --wrt x',
    'derive diff "x^3 y^2" --wrt x,y            # mixed partial ∂²/∂x∂y',
    'derive diff "tanh(x)" --wrt x --order 2',
    'derive diff "f = sigmoid(c + u*z); L = -y*log(f) - (1-y)*log(1-f); L" --wrt c --keep f',
    'derive diff "x^2 sin(x)" --wrt x --at x=pi --format json',
  ],
  options: [
    { flags: "--wrt <names>", description: "variables to differentiate by, in turn (x,y gives ∂²/∂x∂y); default: the first variable" },
    { flags: "--order <n>", description: "differentiate n times by each variable of --wrt" },
    { flags: "--at <values>", description: "also evaluate the result, e.g. x=1,y=2" },
    KEEP_OPTION,
    RAW_OPTION,
  ],
  run(input, options) {
    const indexed = indexSetup(input, options);
    if (indexed) return indexDiff(indexed, options);
    const matrix = matrixSetup(input, options);
    if (matrix) return matrixDiff(matrix, options);
    const program = parseProgram(input);
    const wrtText = stringOption(options, "wrt");
    const wrt = wrtText === undefined ? wrtNames(undefined, program).slice(0, 1) : wrtNames(wrtText, program);
    const order = orderOption(stringOption(options, "order"));
    const keep = keepNames(stringOption(options, "keep"), program);
    const raw = options.raw === true;
    if (wrt.length === 0) throw new DeriveError("nothing to differentiate by: the input has no variables; give --wrt");
    const sequence = wrt.flatMap((w) => Array<string>(order).fill(w));
    const result = programDerivative(program, sequence, { keep, raw });
    const bindings = parseBindings(stringOption(options, "at"), program);
    const value = bindings ? valueAt(program, result, bindings) : undefined;
    const text = toText(result);
    const latex = toLatex(result);
    const json: Record<string, unknown> = { input: programToText(program), wrt: sequence, result: text, latex };
    if (value !== undefined) json.value = jsonNumber(value);
    return { json, text: value === undefined ? text : `${text}\n= ${value}`, latex };
  },
};

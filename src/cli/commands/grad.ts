import type { CommandSpec } from "../command.js";
import { indexSetup, indexGrad } from "./index-program.js";
import { matrixSetup, matrixGrad } from "./matrix.js";
import { parseProgram } from "../../parse/index.js";
import { gradient } from "../../diff/index.js";
import { toLatex, toText } from "../../render/index.js";
import { jsonNumber } from "../io.js";
import { derivativeSetup, KEEP_OPTION, RAW_OPTION, valueAt, WRT_ALL_OPTION } from "./shared.js";

export const gradCommand: CommandSpec = {
  name: "grad",
  summary: "gradient: the derivative by each variable (in order of appearance unless --wrt)",
  examples: [
    'derive grad "(x1 - 6)^2 + x2^2 - x1*x2" --at x1=6,x2=6',
    'derive grad "z = tanh(b + w*x); f = sigmoid(c + u*z); L = -y*log(f) - (1-y)*log(1-f); L" --wrt b,w,c,u --keep all',
  ],
  options: [
    WRT_ALL_OPTION,
    { flags: "--at <values>", description: "also evaluate each component, e.g. x=1,y=2" },
    KEEP_OPTION,
    RAW_OPTION,
  ],
  run(input, options) {
    const indexed = indexSetup(input, options);
    if (indexed) return indexGrad(indexed, options);
    const matrix = matrixSetup(input, options);
    if (matrix) return matrixGrad(matrix, options);
    const { program, wrt, options: diffOptions, bindings } = derivativeSetup(parseProgram(input), options, "gradient");
    const components = gradient(program, wrt, diffOptions);
    const values = bindings ? components.map((c) => valueAt(program, c, bindings)) : undefined;
    const texts = components.map(toText);
    const latexes = components.map(toLatex);
    // Object.fromEntries defines own properties: a variable called __proto__ stays a plain key
    const json: Record<string, unknown> = {
      wrt,
      gradient: Object.fromEntries(wrt.map((w, i) => [w, texts[i]!])),
      latex: Object.fromEntries(wrt.map((w, i) => [w, latexes[i]!])),
    };
    if (values) json.values = Object.fromEntries(wrt.map((w, i) => [w, jsonNumber(values[i]!)]));
    const text = wrt.map((w, i) => `${w}: ${texts[i]}${values ? ` = ${values[i]}` : ""}`).join("\n");
    const latex = `\\nabla = \\begin{pmatrix} ${latexes.join(" \\\\ ")} \\end{pmatrix}`;
    return { json, text, latex };
  },
};

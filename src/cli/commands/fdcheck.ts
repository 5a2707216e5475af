import { stringOption, type CommandSpec } from "../command.js";
import { parseProgram } from "../../parse/index.js";
import { DeriveError } from "../../errors.js";
import { finiteDifferenceCheck } from "../../numeric/fdcheck.js";
import { loadData } from "../../numeric/data.js";
import { toNumber } from "../../numeric/exact.js";
import { wrtNames } from "./shared.js";
import { latexName } from "../../render/index.js";
import { exactAssignments, numberOption, reduceOption } from "./descent.js";
import { matrixSetup } from "./matrix.js";
import { matrixFdcheck } from "./matrix-fdcheck.js";
import { fdcheckOutput } from "./fdcheck-output.js";

export const fdcheckCommand: CommandSpec = {
  name: "fdcheck",
  summary: "check the compiled gradient against central finite differences, component by component",
  examples: [
    'derive fdcheck "(x1 - 6)^2 + x2^2 - x1*x2" --at x1=6,x2=6',
    'derive fdcheck "f = sigmoid(w*x + b); L = -y*log(f) - (1-y)*log(1-f); L" --wrt w,b --at w=0.5,b=-1 --data "x=0,1,2;y=0,1,1" --format json',
    'derive fdcheck "W: matrix; x: vector; y: vector; L = 1/2 ||tanh(W x) - y||^2; L" --wrt W --at "W=[[0.3,-0.5],[0.1,0.4]],x=[1,-2],y=[0.2,0.9]"',
  ],
  options: [
    { flags: "--wrt <names>", description: "variables to check (default: every variable that is not a data column)" },
    { flags: "--at <values>", description: "the point: values of every variable that is not a data column" },
    { flags: "--data <columns>", description: "data columns (inline x=1,2;y=0,1, or a .csv or .json file): the loss is reduced over the rows" },
    { flags: "--reduce <how>", description: "mean or sum over the data rows", defaultValue: "mean" },
    { flags: "--guard <eps>", description: "add eps inside every log, as the sheets do (1e-15)" },
    { flags: "--eps <eps>", description: "relative finite-difference step (default ∛(machine epsilon) ≈ 6e-6)" },
    { flags: "--tol <tol>", description: "a component passes when its absolute or relative error is at most tol", defaultValue: "1e-5" },
  ],
  run(input, options) {
    // matrix programs (declarations, matrix syntax, matrix values) are checked entry by entry
    const matrix = matrixSetup(input, options);
    if (matrix) return matrixFdcheck(matrix, options);
    const program = parseProgram(input);
    const dataText = stringOption(options, "data");
    const data = dataText === undefined ? undefined : loadData(dataText);
    const dataNames = data ? data.names.filter((n) => program.variables.includes(n)) : [];
    const at = exactAssignments(stringOption(options, "at"), "--at", program);
    const wrt = stringOption(options, "wrt") === undefined ? program.variables.filter((v) => !dataNames.includes(v)) : wrtNames(stringOption(options, "wrt"), program);
    if (wrt.length === 0) throw new DeriveError("nothing to check: give --wrt");
    const missing = wrt.filter((w) => !at.has(w));
    if (missing.length > 0) throw new DeriveError(`--at gives no value for ${missing.join(", ")}`);
    const fixed = new Map<string, number>();
    for (const [k, v] of at) if (!wrt.includes(k)) fixed.set(k, toNumber(v));
    const result = finiteDifferenceCheck(program, {
      params: wrt,
      data: dataNames,
      dataColumns: data?.columns,
      reduce: reduceOption(options),
      values: fixed,
      guard: numberOption(options, "guard", "--guard"),
      at: wrt.map((w) => toNumber(at.get(w)!)),
      epsilon: numberOption(options, "eps", "--eps"),
      tolerance: numberOption(options, "tol", "--tol"),
    });
    return fdcheckOutput(result, () => ({}), (c) => latexName(c.name));
  },
};

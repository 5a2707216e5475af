/**
 * `derive fdcheck` on matrix programs (detected as the other commands detect them: declarations,
 * matrix syntax, or matrix values in --at): every entry of each variable checked, the matrix
 * gradient against central differences (numeric/matrix-fdcheck.ts). The output is the scalar
 * check's, one component per entry named as the expansion names it (W_1_2, b1); JSON components
 * add the variable and the entry's row and column (1-based).
 */
import { DeriveError } from "../../errors.js";
import { programInputs } from "../../matrix/build.js";
import { matrixFdCheck } from "../../numeric/matrix-fdcheck.js";
import { canonicalName } from "../../parse/index.js";
import { latexName } from "../../render/names.js";
import { stringOption, type OptionValues } from "../command.js";
import { splitNames, type Output } from "../io.js";
import { numberOption } from "./descent.js";
import { fdcheckOutput } from "./fdcheck-output.js";
import type { MatrixSetup } from "./matrix.js";

/** Options the scalar check has that a matrix program has no use for. */
const SCALAR_ONLY = [
  ["data", "--data"],
  ["guard", "--guard"],
] as const;

export function matrixFdcheck(setup: MatrixSetup, options: OptionValues): Output {
  for (const [key, flag] of SCALAR_ONLY) if (stringOption(options, key) !== undefined) throw new DeriveError(`${flag} works on scalar programs; a matrix program takes its values with --at`);
  if (!setup.values) throw new DeriveError("--at is required: the point, e.g. --at W=[[0.3,0.5],[-0.2,0.4]],x=[1,2]");
  const given = splitNames(stringOption(options, "wrt"))?.map(canonicalName);
  const wrt = given && given.length > 0 ? given : programInputs(setup.program).map((v) => v.name);
  if (wrt.length === 0) throw new DeriveError("nothing to check: give --wrt");
  const result = matrixFdCheck(setup.program, {
    wrt,
    values: setup.values.values,
    epsilon: numberOption(options, "eps", "--eps"),
    tolerance: numberOption(options, "tol", "--tol"),
  });
  return fdcheckOutput(
    result,
    (c) => ({ variable: c.variable, row: c.row, col: c.col }),
    (c) => `${latexName(c.variable)}_{${c.row}${c.col === 1 && isVector(result.components, c.variable) ? "" : `,${c.col}`}}`,
  );
}

/** Whether the variable's entries all lie in one column (a vector, or a scalar). */
const isVector = (components: readonly { variable: string; col: number }[], variable: string): boolean => components.every((c) => c.variable !== variable || c.col === 1);

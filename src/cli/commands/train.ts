import { stringOption, type CommandSpec } from "../command.js";
import { parseExpression, parseProgram } from "../../parse/index.js";
import { toText } from "../../render/index.js";
import { freeSymbols, type Expr } from "../../ast/index.js";
import { dependencyOrder, expandedDefinitions, inline, type Program } from "../../program/index.js";
import { lookupConstant } from "../../functions/index.js";
import { DeriveError } from "../../errors.js";
import { canonicalName } from "../../parse/names.js";
import { jsonNumber, splitNames } from "../io.js";
import { loadData, parseGrid } from "../../numeric/data.js";
import { parseSchedule } from "../../numeric/descent.js";
import { gridPredictions, train } from "../../numeric/train.js";
import { countOption, namedNumbers, numberOption, reduceOption } from "./descent.js";

/**
 * What is predicted on the grid: --predict (a defined name or an expression), else the last
 * definition written in parameters and grid variables alone, else the target if it is.
 */
function predictTarget(program: Program, given: string | undefined, allowed: ReadonlySet<string>, grid: ReadonlySet<string>): { label: string; target: Expr } {
  const expanded = expandedDefinitions(program);
  const inputsOf = (e: Expr): string[] => freeSymbols(e).map((s) => s.name).filter((n) => !lookupConstant(n));
  const fits = (e: Expr): boolean => {
    const inputs = inputsOf(e);
    return inputs.every((v) => allowed.has(v)) && inputs.some((v) => grid.has(v));
  };
  if (given !== undefined) {
    const e = inline(program, parseExpression(given));
    const extra = inputsOf(e).filter((n) => !allowed.has(n));
    if (extra.length > 0) throw new DeriveError(`--predict ${given} depends on ${extra.join(", ")}, which is neither a parameter nor a grid variable`);
    return { label: given, target: e };
  }
  const names = dependencyOrder(program).filter((n) => fits(expanded.get(n)!));
  const name = names[names.length - 1];
  if (name !== undefined) return { label: name, target: expanded.get(name)! };
  const target = inline(program);
  if (fits(target)) return { label: toText(program.target), target };
  throw new DeriveError("nothing to predict: no definition (and not the target) depends on the parameters and grid variables alone; give --predict with a name or an expression");
}

export const trainCommand: CommandSpec = {
  name: "train",
  summary: "train by gradient descent from seeded random restarts; best parameters and grid predictions",
  examples: [
    'derive train --file net.txt --params b1,b2,w11,w12,w21,w22,c,u1,u2 --data "x1=0,1,0,-1,0;x2=0,0,-1,0,1;y=1,0,0,0,0" --restarts 10 --lr 1 --max-steps 100 --tol 1e-4 --seed 1',
    'derive train --file net.txt --params … --data points.csv --grid x1=-2:2:0.04,x2=-2:2:0.04 --format json',
  ],
  options: [
    { flags: "--params <names>", description: "the parameters trained, comma-separated" },
    { flags: "--data <columns>", description: "data columns: inline x1=0,1;x2=…;y=… or a .csv or .json file" },
    { flags: "--restarts <n>", description: "number of random restarts", defaultValue: "10" },
    { flags: "--lr <schedule>", description: "step size: number, formula in t, or list", defaultValue: "1" },
    { flags: "--max-steps <n>", description: "maximum updates per restart", defaultValue: "100" },
    { flags: "--tol <threshold>", description: "stop a restart when the loss decreases by less than this in one step" },
    { flags: "--seed <n>", description: "seed of the random initial parameters", defaultValue: "1" },
    { flags: "--init-sd <sd>", description: "initial parameters ~ N(0, sd²)", defaultValue: "1" },
    { flags: "--threshold <loss>", description: "mark restarts whose final loss is below this", defaultValue: "0.1" },
    { flags: "--reduce <how>", description: "mean or sum of the loss over the rows", defaultValue: "mean" },
    { flags: "--guard <eps>", description: "add eps inside every log, as the sheets do (1e-15)" },
    { flags: "--grid <axes>", description: "predict on a grid, e.g. x1=-2:2:0.04,x2=-2:2:0.04 (ends included)" },
    { flags: "--predict <name>", description: "what to predict on the grid: a defined name or an expression (default: the last definition in parameters and grid variables)" },
  ],
  run(input, options) {
    const program = parseProgram(input);
    const params = (splitNames(stringOption(options, "params")) ?? []).map(canonicalName);
    if (params.length === 0) throw new DeriveError("--params is required: the parameters to train, comma-separated");
    const dataText = stringOption(options, "data");
    if (dataText === undefined) throw new DeriveError("--data is required: inline columns x1=…;y=… or a .csv or .json file");
    const data = loadData(dataText);
    const dataNames = data.names.filter((n) => program.variables.includes(n) && !params.includes(n));
    const tol = numberOption(options, "tol", "--tol");
    const result = train(program, {
      params,
      dataNames,
      data: data.columns,
      reduce: reduceOption(options),
      guard: numberOption(options, "guard", "--guard"),
      restarts: countOption(options, "restarts", "--restarts", 1, 100_000)!,
      schedule: parseSchedule(stringOption(options, "lr") ?? "1"),
      maxSteps: countOption(options, "maxSteps", "--max-steps", 0, 10_000_000)!,
      tol,
      seed: countOption(options, "seed", "--seed", 0, Number.MAX_SAFE_INTEGER)!,
      init: { mean: 0, sd: numberOption(options, "initSd", "--init-sd")! },
      threshold: numberOption(options, "threshold", "--threshold"),
    });
    const best = result.restarts[result.best]!;
    const json: Record<string, unknown> = {
      params,
      data: { columns: dataNames, rows: data.rows },
      threshold: result.threshold,
      restarts: result.restarts.map((r) => ({
        restart: r.restart,
        loss: jsonNumber(r.loss),
        below: r.below,
        steps: r.steps,
        stopped: r.stopped,
        initial: namedNumbers(params, r.initial),
        params: namedNumbers(params, r.params),
      })),
      best: { restart: best.restart, loss: jsonNumber(best.loss), params: namedNumbers(params, best.params) },
    };
    const lines = result.restarts.map((r) => `restart ${r.restart}: loss ${r.loss.toPrecision(6)}${r.below ? " *" : ""} (${r.steps} steps)`);
    lines.push(`* loss below ${result.threshold}`, `best: restart ${best.restart}, loss ${best.loss}`, ...params.map((p, i) => `  ${p} = ${best.params[i]}`));
    const gridText = stringOption(options, "grid");
    if (gridText !== undefined) {
      const axes = parseGrid(gridText);
      const allowed = new Set([...params, ...axes.map((a) => a.name)]);
      const { label, target } = predictTarget(program, stringOption(options, "predict"), allowed, new Set(axes.map((a) => a.name)));
      const grid = gridPredictions(target, params, best.params, axes);
      json.grid = { predict: label, axes: Object.fromEntries(grid.axes.map((a) => [a.name, a.values])), values: grid.values };
      lines.push(`grid: ${label} at ${grid.axes.map((a) => `${a.values.length} values of ${a.name}`).join(" × ")} (JSON output has them)`);
    }
    const text = lines.join("\n");
    return { json, text, latex: text };
  },
};

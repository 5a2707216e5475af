import type { CommandSpec } from "../command.js";
import { parseCommand } from "./parse.js";
import { evalCommand } from "./eval.js";
import { simplifyCommand } from "./simplify.js";
import { diffCommand } from "./diff.js";
import { gradCommand } from "./grad.js";
import { hessianCommand } from "./hessian.js";
import { codegenCommand } from "./codegen.js";
import { fdcheckCommand } from "./fdcheck.js";
import { descentCommand } from "./descent.js";
import { trainCommand } from "./train.js";
import { checkCommand } from "./check.js";
import { stepsCommand } from "./steps.js";

/** Every command, in the order `derive --help` lists them. */
export const COMMANDS: readonly CommandSpec[] = [parseCommand, evalCommand, simplifyCommand, diffCommand, stepsCommand, gradCommand, hessianCommand, codegenCommand, fdcheckCommand, descentCommand, trainCommand, checkCommand];

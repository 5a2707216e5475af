import type { CommandSpec } from "../command.js";
import { parseCommand } from "./parse.js";
import { evalCommand } from "./eval.js";
import { simplifyCommand } from "./simplify.js";

/** Every command, in the order `derive --help` lists them. */
export const COMMANDS: readonly CommandSpec[] = [parseCommand, evalCommand, simplifyCommand];

/**
 * The function registry: every built-in function and constant, looked up by canonical name or
 * alias. This is the one place that lists them; nothing else switches on function names.
 */
import type { ConstantDef, FunctionDef } from "./deps.js";
import { ENTRIES as EXP_LOG } from "./exp-log.js";
import { ENTRIES as TRIG } from "./trig.js";
import { ENTRIES as HYPERBOLIC } from "./hyperbolic.js";
import { ENTRIES as ACTIVATIONS } from "./activations.js";
import { ENTRIES as MISC } from "./misc.js";
import { CONSTANTS } from "./constants.js";

export const FUNCTIONS: readonly FunctionDef[] = [...EXP_LOG, ...TRIG, ...HYPERBOLIC, ...ACTIVATIONS, ...MISC];

const byName = new Map<string, FunctionDef>();
for (const f of FUNCTIONS) for (const n of [f.name, ...f.aliases]) byName.set(n, f);

const constantByName = new Map<string, ConstantDef>();
for (const c of CONSTANTS) for (const n of [c.name, ...c.aliases]) constantByName.set(n, c);

/** The function called `name` (canonical or alias), or undefined. */
export const lookupFunction = (name: string): FunctionDef | undefined => byName.get(name);

/** The function whose canonical name is `name`; throws for unknown names (a bug, not user input). */
export function getFunction(name: string): FunctionDef {
  const f = byName.get(name);
  if (!f || f.name !== name) throw new Error(`internal: no function registered as ${JSON.stringify(name)}`);
  return f;
}

export const lookupConstant = (name: string): ConstantDef | undefined => constantByName.get(name);

/** Canonical names of every function, for help texts and error messages. */
export const functionNames = (): string[] => FUNCTIONS.map((f) => f.name);

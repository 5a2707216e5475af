/**
 * Values given as text, `x=1, y=-0.5, z=pi/4` (the CLI's --at, a sheet's `at`): each value may be
 * any constant expression; names are normalised the way the parser normalises them (`w_12=1`
 * binds w12).
 */
import { DeriveError } from "../errors.js";
import { parseExpression, canonicalName } from "../parse/index.js";
import { splitAssignments } from "../parse/assignments.js";
import type { Program } from "../program/index.js";
import { evaluate } from "./evaluate.js";

/** The values, by canonical name. `what` names the option in messages; with a program, giving a
 * value to a name the program defines is refused (values go to its inputs). */
export function parseBindings(text: string, what: string, program?: Program): Map<string, number> {
  const bindings = new Map<string, number>();
  for (const [rawName, valueText] of splitAssignments(text, what)) {
    const name = canonicalName(rawName);
    if (program?.definitions.some((d) => d.name === name)) {
      throw new DeriveError(`${what} gives a value to ${name}, which the program defines; give values to its inputs instead`);
    }
    if (bindings.has(name)) throw new DeriveError(`${what} gives ${name} twice`);
    let value: number;
    try {
      value = evaluate(parseExpression(valueText));
    } catch (err) {
      if (err instanceof DeriveError) throw new DeriveError(`${what} ${name}=${valueText}: ${err.message}`);
      throw err;
    }
    bindings.set(name, value);
  }
  return bindings;
}

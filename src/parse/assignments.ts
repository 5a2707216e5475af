/**
 * Splitting option texts such as `x=1, W=[[1,2],[3,4]], f(a, b)=a+b`: at the commas that are not
 * inside parentheses, brackets or braces. Used wherever values are given on a command line or in
 * a sheet directive.
 */
import { DeriveError } from "../errors.js";

/**
 * The parts between `separator`s at bracket depth 0 (commas by default), trimmed unless asked not
 * to (empty parts kept, for the caller to judge).
 */
export function splitTopLevel(text: string, separator = ",", trim = true): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "(" || c === "[" || c === "{") depth++;
    else if (c === ")" || c === "]" || c === "}") depth--;
    else if (c === separator && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return trim ? parts.map((p) => p.trim()) : parts;
}

/** `name=value` pairs (values are texts, parsed by the caller); `what` names the option in errors. */
export function splitAssignments(text: string, what: string): Array<[string, string]> {
  return splitTopLevel(text)
    .filter((p) => p.length > 0)
    .map((p) => {
      const eq = p.indexOf("=");
      if (eq <= 0 || eq === p.length - 1) throw new DeriveError(`${what} expects name=value pairs separated by commas, got "${p}"`);
      return [p.slice(0, eq).trim(), p.slice(eq + 1).trim()];
    });
}

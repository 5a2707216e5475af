import { DeriveError } from "../errors.js";

/** Splits `x=1, f(a, b)=a+b` at the commas outside brackets into name/value-text pairs. */
export function splitAssignments(text: string): Array<[string, string]> {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "(" || c === "[" || c === "{") depth++;
    else if (c === ")" || c === "]" || c === "}") depth--;
    else if (c === "," && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts
    .map((p) => p.trim())
    .filter((p) => p.length > 0)
    .map((p) => {
      const eq = p.indexOf("=");
      if (eq <= 0 || eq === p.length - 1) throw new DeriveError(`--given expects name=value or definitions separated by commas, got "${p}"`);
      return [p.slice(0, eq).trim(), p.slice(eq + 1).trim()];
    });
}

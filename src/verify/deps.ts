/** What src/verify uses from the layers below, in one place. */
import { DeriveError } from "../errors.js";
import { differentiate } from "../diff/index.js";
import type { Expr } from "../ast/index.js";
export { Q, sym, num, type Expr } from "../ast/index.js";

/** ∂e/∂x; an unknown function or operator becomes a DeriveError. */
export function differentiateSafe(e: Expr, x: string): Expr {
  try {
    return differentiate(e, x);
  } catch (err) {
    if (err instanceof DeriveError) throw err;
    throw new DeriveError(`cannot differentiate: ${err instanceof Error ? err.message : String(err)}`);
  }
}

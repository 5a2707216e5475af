/**
 * Numeric evaluation at a point, in double precision. The DAG is walked once in post-order
 * (no recursion, so deep expressions cannot overflow the stack) and every shared node is
 * computed once.
 */
import { postorder, Q, type Expr } from "../ast/index.js";
import { getFunction, lookupConstant } from "../functions/index.js";
import { DeriveError } from "../errors.js";

export type Bindings = ReadonlyMap<string, number> | Readonly<Record<string, number>>;

function lookup(bindings: Bindings, name: string): number | undefined {
  if (bindings instanceof Map) return bindings.get(name);
  // own properties only: a symbol called `constructor` or `__proto__` must not find Object's
  return Object.prototype.hasOwnProperty.call(bindings, name) ? (bindings as Record<string, number>)[name] : undefined;
}

/** Value of `e` with the given values for its symbols; named constants (pi, e) need no binding. */
export function evaluate(e: Expr, bindings: Bindings = new Map()): number {
  const values = new Map<Expr, number>();
  const missing = new Set<string>();
  for (const x of postorder(e)) {
    let v: number;
    switch (x.kind) {
      case "num":
        v = Q.toNumber(x.value);
        break;
      case "sym": {
        const bound = lookup(bindings, x.name);
        const constant = lookupConstant(x.name);
        if (bound !== undefined) v = bound;
        else if (constant) v = constant.value;
        else {
          missing.add(x.name);
          v = NaN;
        }
        break;
      }
      case "add":
        v = 0;
        for (const a of x.args) v += values.get(a)!;
        break;
      case "mul":
        v = 1;
        for (const a of x.args) v *= values.get(a)!;
        break;
      case "pow":
        v = power(values.get(x.base)!, values.get(x.exp)!, x.exp);
        break;
      case "call":
        v = getFunction(x.fn).evaluate(...x.args.map((a) => values.get(a)!));
        break;
    }
    values.set(x, v);
  }
  if (missing.size > 0) {
    const names = [...missing];
    throw new DeriveError(`no value given for ${names.length === 1 ? "variable" : "variables"} ${names.join(", ")}`);
  }
  return values.get(e)!;
}

/** x^y on the reals: odd roots of negative numbers are real ((-8)^(1/3) = -2), as people expect. */
function power(base: number, exponent: number, exponentNode: Expr): number {
  if (base < 0 && exponentNode.kind === "num" && !Q.isInteger(exponentNode.value) && exponentNode.value.d % 2n === 1n) {
    const magnitude = Math.pow(-base, exponent);
    return exponentNode.value.n % 2n === 0n ? magnitude : -magnitude;
  }
  return Math.pow(base, exponent);
}

/**
 * What the compiler does to an expression before generating code, all as AST → AST rewrites:
 *
 * 1. Numerically careful forms (the default): log(σ(u)) = -softplus(-u),
 *    log(1 - σ(u)) = -softplus(u) and log(1 + exp(u)) = softplus(u). These are identities, so
 *    the value does not change, but the rewritten forms never take the log of a rounded 0 or 1.
 *    With a `guard` (the sheets' `log(p + 1e-15)`) they are not applied: every log(x) becomes
 *    log(x + guard) instead, exactly as the sheet computes it.
 *
 * 2. Lowering of σ and softplus into shared primitives, so that σ(u), σ(-u), softplus(u) and
 *    softplus(-u) all come from ONE exp and ONE log1p:
 *        E = exp(-|u|)     (the same node for u and -u)
 *        σ(u) = u ≥ 0 ? 1/(1+E) : E/(1+E)          softplus(u) = max(u, 0) + log1p(E)
 *    Each primitive is a call to an internal function (names start with "$", which no parsed
 *    program can contain). σ and softplus take E (or log1p(E)) as an extra argument that only
 *    caches work: its partial derivative is declared 0 and the other partial is the full
 *    derivative, so reverse mode still computes exactly σ' = σ(1 - σ) and softplus' = σ.
 *
 * The internal functions' code templates live with the language back ends (languages.ts);
 * their derivatives are here.
 */
import {
  ONE,
  ZERO,
  add,
  call,
  mapBottomUp,
  mul,
  neg,
  num,
  pow,
  splitCoefficient,
  sub,
  Q,
  type Call,
  type Expr,
} from "../ast/index.js";
import { getFunction } from "../functions/index.js";

/** exp(-|k|). */
export const ENABS = "$enabs";
/** log1p(x). */
export const LOG1P = "$log1p";
/** σ(u) given E = exp(-|u|): $sigmoid(u, E). */
export const SIGMOID = "$sigmoid";
/** softplus(u) given L = log1p(exp(-|u|)): $softplus(u, L). */
export const SOFTPLUS = "$softplus";

export const isInternal = (fn: string): boolean => fn.startsWith("$");

export interface RewriteOptions {
  /** Added inside every log (the sheets' 1e-15); turns off the softplus forms. */
  readonly guard?: number;
  /** Apply the numerically careful forms (default true; ignored with a guard). */
  readonly stable?: boolean;
}

/** u when e is 1 - σ(u) (canonically add(mul(-1, σ(u)), 1)). */
function oneMinusSigmoid(e: Expr): Expr | undefined {
  if (e.kind !== "add" || e.args.length !== 2 || e.args[1] !== ONE) return undefined;
  const t = e.args[0]!;
  if (t.kind !== "mul" || t.args.length !== 2 || t.args[0] !== num(-1)) return undefined;
  const s = t.args[1]!;
  return s.kind === "call" && s.fn === "sigmoid" ? s.args[0] : undefined;
}

/** u when e is 1 + exp(u). */
function onePlusExp(e: Expr): Expr | undefined {
  if (e.kind !== "add" || e.args.length !== 2 || e.args[1] !== ONE) return undefined;
  const t = e.args[0]!;
  return t.kind === "call" && t.fn === "exp" ? t.args[0] : undefined;
}

/** Step 1: the stable forms, or the guard. */
export function rewriteLogs(e: Expr, options: RewriteOptions = {}): Expr {
  const guard = options.guard;
  if (guard !== undefined) {
    if (!Number.isFinite(guard) || guard < 0) throw new RangeError(`guard must be a finite non-negative number, got ${guard}`);
    if (guard === 0) return e;
    const g = num(guard);
    return mapBottomUp(e, (x) => (x.kind === "call" && x.fn === "log" ? call("log", add(x.args[0]!, g)) : x));
  }
  if (options.stable === false) return e;
  return mapBottomUp(e, (x) => {
    if (x.kind !== "call" || x.fn !== "log") return x;
    const u = x.args[0]!;
    if (u.kind === "call" && u.fn === "sigmoid") return neg(call("softplus", neg(u.args[0]!)));
    const v = oneMinusSigmoid(u);
    if (v !== undefined) return neg(call("softplus", v));
    const w = onePlusExp(u);
    if (w !== undefined) return call("softplus", w);
    return x;
  });
}

/** u without a negative numeric coefficient, so |u| and |-u| are one node. */
function magnitude(u: Expr): Expr {
  const [c, rest] = splitCoefficient(u);
  return Q.isNegative(c) ? mul(num(Q.neg(c)), rest) : u;
}

const enabs = (u: Expr): Call => call(ENABS, magnitude(u));
const lowSigmoid = (u: Expr): Call => call(SIGMOID, u, enabs(u));
const lowSoftplus = (u: Expr): Call => call(SOFTPLUS, u, call(LOG1P, enabs(u)));

/** Step 2: σ and softplus through shared primitives. Memoised per node (a DAG stays a DAG). */
export function lowerPrimitives(e: Expr, memo?: Map<Expr, Expr>): Expr {
  const lowerOne = (x: Expr): Expr => {
    if (x.kind !== "call" || x.args.length !== 1) return x;
    if (x.fn === "sigmoid") return lowSigmoid(x.args[0]!);
    if (x.fn === "softplus") return lowSoftplus(x.args[0]!);
    return x;
  };
  if (!memo) return mapBottomUp(e, lowerOne);
  const hit = memo.get(e);
  if (hit) return hit;
  const out = mapBottomUp(e, lowerOne);
  memo.set(e, out);
  return out;
}

/**
 * ∂(call)/∂(argument i), as an expression over the call and its arguments (so the forward values
 * are reused). Registry functions answer for themselves; the internal ones are answered here.
 */
export function localDerivative(self: Call, i: number): Expr {
  switch (self.fn) {
    case SIGMOID:
      return i === 0 ? mul(self, sub(ONE, self)) : ZERO;
    case SOFTPLUS: {
      if (i !== 0) return ZERO;
      const l = self.args[1] as Call; // $log1p(E)
      return call(SIGMOID, self.args[0]!, l.args[0]!);
    }
    case LOG1P:
      return pow(add(ONE, self.args[0]!), num(-1));
    case ENABS:
      return neg(mul(call("sign", self.args[0]!), self));
    default:
      return getFunction(self.fn).derivative(self, i);
  }
}

/**
 * The usual mistakes of a hand derivative, recognised by what would make the claim right:
 * a dropped chain-rule factor (claimed · du/dx = correct), a sign error (claimed = -correct),
 * the derivative of the wrong function (σ' written as 1 - σ², tanh' as tanh(1 - tanh)), and
 * mixed-up indices (exchanging two subscripted names makes it right).
 */
import { call, freeSymbols, ZERO, mapBottomUp, mul, neg, pow, postorder, sub, substitute, sym, ONE, TWO, type Expr } from "../ast/index.js";
import { differentiate } from "../diff/index.js";
import { sampleIdentity } from "./sample.js";

export interface DerivativeContext {
  /** The function that was differentiated (definitions inlined). */
  readonly operand: Expr;
  readonly wrt: string;
  /** Substitutes the given values (identity when there are none). */
  readonly withValues: (e: Expr) => Expr;
  /** The claim as written (defined names kept) and how to resolve it. */
  readonly raw?: Expr;
  readonly resolve?: (e: Expr) => Expr;
}

const agrees = (a: Expr, b: Expr): boolean => {
  try {
    return sampleIdentity(a, b, { count: 12, seed: 0xd1a9 }).status === "agree";
  } catch {
    return false;
  }
};

/** A sentence naming the mistake, or undefined when none is recognised. */
export function diagnose(correct: Expr, claimed: Expr, context: DerivativeContext | undefined, show: (e: Expr) => string): string | undefined {
  const v = context?.withValues ?? ((e: Expr) => e);
  const C = v(correct);
  const K = v(claimed);
  if (agrees(neg(K), C)) return "sign error: the claim is the negative of the correct derivative";
  if (context) {
    const x = sym(context.wrt);
    // inner functions whose derivative the chain rule multiplies in
    const inners = new Set<Expr>();
    for (const node of postorder(context.operand)) {
      const args = node.kind === "call" ? node.args : node.kind === "pow" ? [node.base] : [];
      for (const u of args) if (u !== x && freeSymbols(u).includes(x)) inners.add(u);
    }
    // the activation's own derivative f'(u), dropped
    for (const node of postorder(context.operand)) {
      if (node.kind !== "call" || node.args.length !== 1 || !freeSymbols(node).includes(x)) continue;
      const outer = differentiate(node, context.wrt);
      const inner = differentiate(node.args[0]!, context.wrt);
      // f'(u) = d f(u)/du: the derivative with the inner derivative divided out
      const fPrime = differentiate(call(node.fn, sym("__u")), "__u");
      const local = substitute(fPrime, new Map<Expr, Expr>([[sym("__u"), node.args[0]!]]));
      if (outer === ZERO || inner === ZERO) continue;
      if (agrees(mul(K, v(local)), C)) {
        return `a chain-rule factor is missing: the derivative of ${node.fn}, ${show(local)}`;
      }
    }
    for (const u of inners) {
      const du = differentiate(u, context.wrt);
      if (du === ONE) continue;
      if (agrees(mul(K, v(du)), C)) {
        return `a chain-rule factor is missing: the derivative of the inner function ${show(u)}, which is ${show(du)}`;
      }
    }
    // the derivative of the wrong function
    const wrong = wrongDerivatives(context.operand, context.wrt);
    for (const [label, alternative] of wrong) if (agrees(K, v(alternative))) return label;
    // any other factor of the chain-rule product, dropped
    const factors = new Set<Expr>();
    for (const node of postorder(differentiate(context.operand, context.wrt))) {
      if (node.kind === "mul") for (const f of node.args) if (f.kind !== "num") factors.add(f);
    }
    for (const f of [...factors].slice(0, 80)) {
      if (agrees(mul(K, v(f)), C)) return `a chain-rule factor is missing: ${show(f)}`;
    }
  }
  // mixed-up indices, looked for in the claim as written
  const written = context?.raw ?? claimed;
  const resolve = context?.resolve ?? ((e: Expr) => e);
  const names = [...new Set([...freeSymbols(written), ...freeSymbols(claimed), ...freeSymbols(correct)].map((s) => s.name))];
  const pairs: Array<[string, string]> = [];
  for (let i = 0; i < names.length; i++) {
    for (let j = i + 1; j < names.length; j++) {
      if (head(names[i]!) !== undefined && head(names[i]!) === head(names[j]!)) pairs.push([names[i]!, names[j]!]);
    }
  }
  for (const [a, b] of pairs.slice(0, 40)) {
    const swapped = substitute(written, new Map<Expr, Expr>([[sym(a), sym(b)], [sym(b), sym(a)]]));
    if (swapped !== written && agrees(v(resolve(swapped)), C)) return `mixed-up indices: with ${a} and ${b} exchanged the claim is right`;
  }
  return undefined;
}

/** The letters before a name's index (w12 → w, z_2_out → z), when it has an index. */
function head(name: string): string | undefined {
  const m = /^([A-Za-z]+)_?(.+)$/.exec(name);
  return m && /\d|_/.test(name) ? m[1] : undefined;
}

/** Derivatives of `f` computed with one activation's derivative replaced by another's. */
function wrongDerivatives(f: Expr, wrt: string): Array<[string, Expr]> {
  const out: Array<[string, Expr]> = [];
  const calls = postorder(f).filter((n): n is Extract<Expr, { kind: "call" }> => n.kind === "call" && (n.fn === "sigmoid" || n.fn === "tanh"));
  const d = differentiate(f, wrt);
  for (const c of calls) {
    const u = c.args[0]!;
    const sigmoidForm = mul(c, sub(ONE, c));
    const tanhForm = sub(ONE, pow(c, TWO));
    const [own, others] = c.fn === "sigmoid"
      ? [sigmoidForm, [
          ["the derivative of the wrong function: σ' is σ(1 - σ), not 1 - σ² (that is tanh')", tanhForm],
          ["the derivative of the wrong function: σ' is σ(1 - σ), not tanh'", sub(ONE, pow(call("tanh", u), TWO))],
          ["σ' is σ(1 - σ): the factor (1 - σ) is missing", c],
        ] as Array<[string, Expr]>]
      : [tanhForm, [
          ["the derivative of the wrong function: tanh' is 1 - tanh², not tanh(1 - tanh) (that is the form of σ')", sigmoidForm],
          ["the derivative of the wrong function: tanh' is 1 - tanh², not σ'", mul(call("sigmoid", u), sub(ONE, call("sigmoid", u)))],
          ["tanh' is 1 - tanh², not 1 - tanh", sub(ONE, c)],
        ] as Array<[string, Expr]>];
    for (const [label, replacement] of others) {
      const altered = replaceFactor(d, own, replacement);
      if (altered !== d) out.push([label, altered]);
    }
  }
  return out;
}

/** Replaces the factor `target` (a product or a single factor) wherever it occurs in d. */
function replaceFactor(d: Expr, target: Expr, replacement: Expr): Expr {
  const parts = target.kind === "mul" ? target.args : [target];
  return mapBottomUp(d, (x) => {
    if (x === target) return replacement;
    if (x.kind !== "mul") return x;
    const rest = [...x.args];
    for (const p of parts) {
      const i = rest.indexOf(p);
      if (i < 0) return x;
      rest.splice(i, 1);
    }
    return mul(...rest, replacement);
  });
}


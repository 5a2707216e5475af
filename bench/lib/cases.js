// The differentiation cases of bench/diff.js, for our engine and for mathjs. Plain data plus the
// functions that run one case; the worker (worker.js) imports this in a fresh thread.
import { NETWORK_DEFS, NETWORK_PARAMS, NETWORK_TARGET, chainText, programText } from "./problems.js";

/** mathjs has no sigmoid: it gets 1/(1 + exp(-u)) instead. */
export const mathjsSigmoid = (u) => `1 / (1 + exp(-(${u})))`;

const NOT_VARIABLES = new Set(["sigmoid", "tanh", "log", "exp", "e", "pi"]);
const IDENTIFIER = /[A-Za-z_][A-Za-z0-9_]*/g;

/** Renames every variable of a formula text through `n` (functions and constants stay). */
export const renameText = (text, n) => text.replace(IDENTIFIER, (id) => (NOT_VARIABLES.has(id) ? id : n(id)));

/**
 * A name mapper that puts `prefix` in front of every name. A letters-and-digits prefix keeps the
 * canonical order of names (natural order compares the common prefix first), so the renamed
 * problem is the same problem: same shapes, same sizes (test/bench/sizes.test.ts checks this).
 */
export const prefixNames = (prefix) => (prefix === "" ? (name) => name : (name) => `${prefix}${name}`);

/** Replaces every call `fn(arg)` in a text by `replace(arg)`, innermost first. */
function replaceCalls(text, fn, replace) {
  const head = `${fn}(`;
  let out = "";
  let i = 0;
  for (;;) {
    const at = text.indexOf(head, i);
    if (at < 0) return out + text.slice(i);
    let depth = 1;
    let j = at + head.length;
    for (; j < text.length && depth > 0; j++) {
      if (text[j] === "(") depth++;
      else if (text[j] === ")") depth--;
    }
    const inner = text.slice(at + head.length, j - 1);
    out += text.slice(i, at) + replace(replaceCalls(inner, fn, replace));
    i = j;
  }
}

/** One formula with every definition inlined (in order), sigmoid written for mathjs. */
export function inlineForMathjs(defs, target) {
  const bodies = new Map();
  const expand = (text) => text.replace(IDENTIFIER, (id) => (bodies.has(id) ? `(${bodies.get(id)})` : id));
  for (const [name, body] of defs) bodies.set(name, expand(body));
  return replaceCalls(expand(target), "sigmoid", mathjsSigmoid);
}

/**
 * Each case: what our engine runs (a program and `gradient`, or an expression and `derivative`,
 * both simplified) and what mathjs runs (`derivative` without its own simplification, then
 * `simplify`, on the same formula inlined). `mathjs.same` reuses another case's mathjs run.
 * `mathjs.budgetMs` is a hard limit; `mathjs.skipAfter` skips the case when that (smaller) case
 * already exceeded its limit.
 */
function chainCases(depth, wrt, previous) {
  return {
    id: `chain${depth}-${wrt}`,
    label: `depth-${depth} sigmoid chain, d/d${wrt}`,
    ours: { kind: "expression", text: chainText(depth), wrt: [wrt] },
    mathjs: {
      text: chainText(depth, mathjsSigmoid),
      wrt: [wrt],
      budgetMs: depth <= 3 ? 5000 : 3000,
      ...(previous ? { skipAfter: `chain${previous}-${wrt}` } : {}),
    },
  };
}

const NETWORK_PROGRAM = programText(NETWORK_DEFS, NETWORK_TARGET);

export const DIFF_CASES = [
  {
    id: "net",
    label: "sheet B loss, 9 params, in inputs",
    ours: { kind: "program", text: NETWORK_PROGRAM, wrt: NETWORK_PARAMS, options: {} },
    mathjs: { text: inlineForMathjs(NETWORK_DEFS, NETWORK_TARGET), wrt: NETWORK_PARAMS, budgetMs: 25000 },
  },
  {
    id: "net-keep",
    label: 'sheet B loss, 9 params, keep: "all"',
    ours: { kind: "program", text: NETWORK_PROGRAM, wrt: NETWORK_PARAMS, options: { keep: "all" } },
    mathjs: { same: "net" },
  },
  chainCases(3, "x"),
  chainCases(3, "w1"),
  chainCases(10, "x", 3),
  chainCases(10, "w1", 3),
  chainCases(30, "x", 10),
  chainCases(30, "w1", 10),
];

/** Our engine on a case with names renamed by `n`: the list of derivatives. */
export function runOurs(lib, spec, n) {
  if (spec.kind === "program") {
    const program = lib.parseProgram(renameText(spec.text, n));
    return lib.gradient(program, spec.wrt.map(n), spec.options);
  }
  const e = lib.parseExpression(renameText(spec.text, n));
  return spec.wrt.map((w) => lib.derivative(e, [n(w)]));
}

/** mathjs on a case with names renamed by `n`: the list of simplified derivatives (mathjs nodes). */
export function runMathjs(math, spec, n) {
  const node = math.parse(renameText(spec.text, n));
  return spec.wrt.map((w) => math.simplify(math.derivative(node, n(w), { simplify: false })));
}

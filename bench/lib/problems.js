// Problem definitions shared by the benchmarks (plain data, no imports, so Python can receive
// them as JSON). Sources use explicit `*` and `^` so that our parser and SymPy's read them alike.

/** Sheet B's 2-2-1 network (B2) as a program: tanh hidden units, sigmoid output, binary cross-entropy. */
export const NETWORK_DEFS = [
  ["z1", "tanh(b1 + x1*w11 + x2*w21)"],
  ["z2", "tanh(b2 + x1*w12 + x2*w22)"],
  ["f", "sigmoid(c + u1*z1 + u2*z2)"],
  ["L", "-y*log(f) - (1 - y)*log(1 - f)"],
];
export const NETWORK_TARGET = "L";
export const NETWORK_PARAMS = ["b1", "b2", "w11", "w12", "w21", "w22", "c", "u1", "u2"];

/** The program text: `name = body` lines, then the target. */
export const programText = (defs, target) => [...defs.map(([n, b]) => `${n} = ${b}`), target].join("\n");

/** sigmoid(w_k * sigmoid(... sigmoid(w_1 * x))), written with `sig` (a function of the argument text). */
export function chainText(depth, sig = (u) => `sigmoid(${u})`) {
  let e = "x";
  for (let k = 1; k <= depth; k++) e = sig(`w${k}*${e}`);
  return e;
}

const A1 = "(x1 - 6)^2 + x2^2 - x1*x2";
const C4_DEFS = [["y", "sigmoid(w3*sigmoid(w2*sigmoid(w1*x)))"]];
const C4 = "-(yhat*log(y) + (1 - yhat)*log(1 - y))";
const C5_DEFS = [["y", "w3*sigmoid(w2*sigmoid(w1*x))"]];
const C5 = "(yhat - y)^2";
const D3 = "(y - sigmoid(w11*x1 + w12*x2 + b1) - sigmoid(w21*x1 + w22*x2 + b2))^2";
const BCE = "-y*log(fout) - (1 - y)*log(1 - fout)";

/**
 * Output-size problems (bench/sizes.js, bench/sympy_sizes.py): the derivative of `target`, with
 * `defs` inlined, by the names of `wrt` in turn (two names: a second derivative).
 */
export const SIZE_PROBLEMS = [
  { id: "A1 df/dx1", defs: [], target: A1, wrt: ["x1"] },
  { id: "A1 df/dx2", defs: [], target: A1, wrt: ["x2"] },
  { id: "A1 d2f/dx1dx1", defs: [], target: A1, wrt: ["x1", "x1"] },
  { id: "A1 d2f/dx1dx2", defs: [], target: A1, wrt: ["x1", "x2"] },
  { id: "A1 d2f/dx2dx2", defs: [], target: A1, wrt: ["x2", "x2"] },
  { id: "A4 sigmoid'", defs: [], target: "sigmoid(x)", wrt: ["x"] },
  { id: "A4 tanh'", defs: [], target: "tanh(x)", wrt: ["x"] },
  ...NETWORK_PARAMS.map((p) => ({ id: `B2 dL/d${p}`, defs: NETWORK_DEFS, target: NETWORK_TARGET, wrt: [p] })),
  { id: "B2 dL/df_out", defs: [], target: BCE, wrt: ["fout"] },
  { id: "B2 dL/df_in", defs: [["fout", "sigmoid(fin)"]], target: BCE, wrt: ["fin"] },
  ...["w1", "w2", "w3"].map((w) => ({ id: `C4 dL/d${w}`, defs: C4_DEFS, target: C4, wrt: [w] })),
  ...["w1", "w2", "w3"].map((w) => ({ id: `C5 dL/d${w}`, defs: C5_DEFS, target: C5, wrt: [w] })),
  ...["w11", "w12", "w21", "w22", "b1", "b2"].map((w) => ({ id: `D3 df/d${w}`, defs: [], target: D3, wrt: [w] })),
];

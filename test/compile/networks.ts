/** Programs of the exercise sheets used by the compile and numeric tests. */
export const SHEET_B = `z1 = tanh(b1 + w11*x1 + w21*x2)
z2 = tanh(b2 + w12*x1 + w22*x2)
f = sigmoid(c + u1*z1 + u2*z2)
L = -y*log(f) - (1 - y)*log(1 - f)`;
export const SHEET_B_PARAMS = ["b1", "b2", "w11", "w12", "w21", "w22", "c", "u1", "u2"];
export const SHEET_B_DATA = {
  x1: new Float64Array([0, 1, 0, -1, 0]),
  x2: new Float64Array([0, 0, -1, 0, 1]),
  y: new Float64Array([1, 0, 0, 0, 0]),
};
export const SHEET_B_INLINE = "x1=0,1,0,-1,0;x2=0,0,-1,0,1;y=1,0,0,0,0";

export const SHEET_A1 = "(x1 - 6)^2 + x2^2 - x1*x2";

/** Sheet C4: a three-sigmoid chain with cross-entropy. */
export const SHEET_C4 = "a = sigmoid(w1*x); b = sigmoid(w2*a); yhat = sigmoid(w3*b); L = -(t*log(yhat) + (1 - t)*log(1 - yhat)); L";

/** A depth-n chain sigmoid(w_n sigmoid(… sigmoid(w_1 x))). */
export function chain(depth: number): string {
  let e = "x";
  for (let k = 1; k <= depth; k++) e = `sigmoid(w${k}*${e})`;
  return e;
}

/** The sheet problems whose step-by-step derivations are kept as golden traces. */
export const NETWORK = `z_1_in = b1 + w11*x1 + w21*x2
z_2_in = b2 + w12*x1 + w22*x2
z_1_out = tanh(z_1_in)
z_2_out = tanh(z_2_in)
f_in = c + u1*z_1_out + u2*z_2_out
f_out = sigmoid(f_in)
L = -y*log(f_out) - (1 - y)*log(1 - f_out)`;

export const C5 = `s1 = sigmoid(w1*x)
s2 = sigmoid(w2*s1)
y = w3*s2
L = (yhat - y)^2`;

export interface GoldenCase {
  readonly name: string;
  readonly input: string;
  readonly wrt: readonly string[];
  readonly level: "full" | "chain";
  readonly target?: string;
}

export const GOLDEN: readonly GoldenCase[] = [
  // A4 (and B2 questions 3-4): show that σ' = σ(1 - σ) and tanh' = 1 - tanh²
  { name: "a4-sigmoid", input: "1/(1+exp(-x))", wrt: ["x"], level: "full", target: "sigmoid(x)*(1 - sigmoid(x))" },
  { name: "a4-tanh", input: "(exp(x) - exp(-x))/(exp(x) + exp(-x))", wrt: ["x"], level: "full", target: "1 - tanh(x)^2" },
  // B2 question 16 as a show-that: ∂L/∂f_in = f_out - y, each algebraic step shown
  { name: "b2-show-that", input: "f_out = sigmoid(f_in)\nL = -y*log(f_out) - (1 - y)*log(1 - f_out)", wrt: ["f_in"], level: "full", target: "f_out - y" },
  // softplus' = σ through the exponential form
  { name: "softplus-sigmoid", input: "log(1 + exp(x))", wrt: ["x"], level: "full", target: "sigmoid(x)" },
  // B2: questions 1-2, 5-16 (every local derivative and ∂L/∂c, ∂L/∂u1, ∂L/∂b2, ∂L/∂w12, ∂L/∂x1)
  { name: "b2-chain", input: NETWORK, wrt: ["c", "u1", "b2", "w12", "x1"], level: "chain" },
  { name: "b2-backward-pass", input: NETWORK, wrt: ["b1", "b2", "w11", "w12", "w21", "w22", "c", "u1", "u2"], level: "chain" },
  // C5: the regression chain y = w3 σ(w2 σ(w1 x)), L = (ŷ - y)²
  { name: "c5-chain", input: C5, wrt: ["w3", "w2", "w1"], level: "chain" },
  { name: "c5-full-w1", input: C5, wrt: ["w1"], level: "full" },
];

/**
 * Correct solutions of problems.md written in LaTeX the way a student would, and broken variants
 * (each with the 1-based line of the first wrong step). Shared by the library and CLI tests.
 */
export interface Broken {
  readonly name: string;
  readonly markdown: string;
  /** Line of the first invalid step. */
  readonly line: number;
  /** A phrase the reason must contain, when the mistake is recognisable. */
  readonly reason?: string;
}

export interface Solution {
  readonly name: string;
  readonly markdown: string;
  readonly broken: readonly Broken[];
}

/** Replaces the `nth` (0-based) occurrence of `from` in `text`, failing loudly if absent. */
function edit(text: string, from: string, to: string): string {
  const i = text.indexOf(from);
  if (i < 0) throw new Error(`test setup: "${from}" not in the solution`);
  return text.slice(0, i) + to + text.slice(i + from.length);
}

function variant(base: string, name: string, from: string, to: string, reason?: string): Broken {
  const markdown = edit(base, from, to);
  const at = base.indexOf(from);
  return { name, markdown, line: base.slice(0, at).split("\n").length, ...(reason ? { reason } : {}) };
}

const A1 = String.raw`# A1

The function is
$$f(x_1, x_2) = (x_1 - 6)^2 + x_2^2 - x_1 x_2$$
Its partial derivatives:
$$
\begin{aligned}
\frac{\partial f}{\partial x_1} &= 2(x_1 - 6) - x_2 \\
  &= 2x_1 - x_2 - 12 \\
\frac{\partial f}{\partial x_2} &= 2 x_2 - x_1
\end{aligned}
$$
At the point $(6, 6)$:
$$f(6, 6) = 0 + 36 - 36 = 0$$
$$2 \cdot 6 - 6 - 12 = -6$$
The minimum:
$$f(8, 4) = 4 + 16 - 32 = -12$$

In vector form, the gradient, its value at $(6, 6)$ and the Hessian:
$$\nabla f = \left(2x_1 - x_2 - 12,\; 2x_2 - x_1\right)$$
$$\nabla f(6, 6) = (-6, 6)$$
$$\nabla^2 f = \begin{pmatrix} 2 & -1 \\ -1 & 2 \end{pmatrix}$$
$$\frac{\partial^2 f}{\partial x_1 \partial x_2} = -1, \qquad \frac{\partial^2 f}{\partial x_1^2} = 2$$
At the minimum $\nabla f(8, 4) = (0, 0)$, and the Hessian there is the same constant matrix:
$$\nabla^2 f(8, 4) = [[2, -1], [-1, 2]]$$
`;

const A2 = String.raw`# A2: three steps of gradient descent from (6, 6)

$$f(x_1, x_2) = (x_1 - 6)^2 + x_2^2 - x_1 x_2$$

| t | $x^{(t)}$ | $f(x^{(t)})$ | $\nabla f(x^{(t)})$ | $x^{(t+1)}$ |
| --- | --- | --- | --- | --- |
| 1 | $(6, 6)$ | $f(6, 6) = 0$ | $\nabla f(6, 6) = (-6, 6)$ | $(6, 6) - \frac{1}{2} (-6, 6) = (9, 3)$ |
| 2 | $(9, 3)$ | $f(9, 3) = -9$ | $\nabla f(9, 3) = (3, -3)$ | $(9, 3) - \frac{1}{3} (3, -3) = (8, 4)$ |
| 3 | $(8, 4)$ | $f(8, 4) = -12$ | $\nabla f(8, 4) = (0, 0)$ | $(8, 4) - \frac{1}{4} \nabla f(8, 4) = (8, 4)$ |
`;

const A4 = String.raw`# A4

$$
\begin{aligned}
\frac{d}{dx} \sigma(x) &= \frac{d}{dx} \frac{1}{1 + e^{-x}} \\
  &= \frac{e^{-x}}{\left(1 + e^{-x}\right)^2} \\
  &= \frac{1}{1 + e^{-x}} \cdot \frac{e^{-x}}{1 + e^{-x}} \\
  &= \sigma(x)\left(1 - \sigma(x)\right)
\end{aligned}
$$

$$\tanh'(x) = 1 - \tanh^2(x)$$

$$\frac{d}{dx}\tanh(x) = \frac{d}{dx} \frac{e^x - e^{-x}}{e^x + e^{-x}} = 1 - \tanh(x)^2$$
`;

const B2 = String.raw`# B2: the 2-2-1 network

$$
\begin{aligned}
z_{1,\text{in}} &= b_1 + w_{11} x_1 + w_{21} x_2 \\
z_{2,\text{in}} &= b_2 + w_{12} x_1 + w_{22} x_2 \\
z_{1,\text{out}} &= \tanh(z_{1,\text{in}}) \\
z_{2,\text{out}} &= \tanh(z_{2,\text{in}}) \\
f_{\text{in}} &= c + u_1 z_{1,\text{out}} + u_2 z_{2,\text{out}} \\
f_{\text{out}} &= \sigma(f_{\text{in}}) \\
L &= -y \log(f_{\text{out}}) - (1 - y) \log(1 - f_{\text{out}})
\end{aligned}
$$

The local derivatives:

$$\frac{\partial L}{\partial f_{\text{out}}} = -\frac{y}{f_{\text{out}}} + \frac{1 - y}{1 - f_{\text{out}}}$$
$$\frac{\partial f_{\text{out}}}{\partial f_{\text{in}}} = \sigma(f_{\text{in}})\left(1 - \sigma(f_{\text{in}})\right)$$
$$\frac{\partial f_{\text{in}}}{\partial c} = 1, \qquad \frac{\partial f_{\text{in}}}{\partial u_1} = z_{1,\text{out}}$$
$$\frac{\partial f_{\text{in}}}{\partial z_{2,\text{out}}} = u_2$$
$$\frac{\partial z_{2,\text{out}}}{\partial z_{2,\text{in}}} = 1 - \tanh^2(z_{2,\text{in}})$$
$$\frac{\partial z_{2,\text{in}}}{\partial b_2} = 1$$
$$\frac{\partial z_{2,\text{in}}}{\partial w_{12}} = x_1$$
$$\frac{\partial z_{2,\text{in}}}{\partial x_1} = w_{12}$$

By the chain rule:

$$
\begin{aligned}
\frac{\partial L}{\partial c} &= \frac{\partial L}{\partial f_{\text{out}}} \cdot \frac{\partial f_{\text{out}}}{\partial f_{\text{in}}} \cdot \frac{\partial f_{\text{in}}}{\partial c} \\
  &= f_{\text{out}} - y
\end{aligned}
$$
$$\frac{\partial L}{\partial f_{\text{in}}} = f_{\text{out}} - y$$
$$\frac{\partial L}{\partial u_1} = (f_{\text{out}} - y) \, z_{1,\text{out}}$$
$$\frac{\partial L}{\partial b_2} = (f_{\text{out}} - y) \, u_2 \left(1 - z_{2,\text{out}}^2\right)$$
$$\frac{\partial L}{\partial w_{12}} = (f_{\text{out}} - y) \, u_2 \left(1 - z_{2,\text{out}}^2\right) x_1$$
$$\frac{\partial L}{\partial x_1} = (f_{\text{out}} - y) \left(u_1 \left(1 - z_{1,\text{out}}^2\right) w_{11} + u_2 \left(1 - z_{2,\text{out}}^2\right) w_{12}\right)$$
`;

const C4 = String.raw`# C4

Values: $w_1 = 0.25$, $w_2 = -0.11$, $w_3 = 0.78$, $x = 0.63$, $\hat{y} = 1$.

$$w_1 = 0.25$$
$$w_2 = -0.11$$
$$w_3 = 0.78$$
$$x = 0.63$$
$$\hat{y} = 1$$
$$y = \sigma(w_3 \sigma(w_2 \sigma(w_1 x)))$$
$$L = -\left(\hat{y} \log y + (1 - \hat{y}) \log(1 - y)\right)$$

Forward pass:

$$
\begin{aligned}
w_1 x &= 0.25 \cdot 0.63 = 0.1575 \\
\sigma(w_1 x) &= \sigma(0.1575) = 0.539294 \\
w_2 \sigma(w_1 x) &= -0.11 \cdot 0.539294 = -0.0593223 \\
\sigma(-0.0593223) &= 0.485174 \\
w_3 \cdot 0.485174 &= 0.378436 \\
\sigma(0.378436) &= 0.593496 \\
-\log(0.593496) &= 0.521725
\end{aligned}
$$

Backward pass:

$$
\begin{aligned}
\frac{\partial L}{\partial w_3} &= -(1 - y) \, \sigma(w_2 \sigma(w_1 x)) \\
  &= -(1 - 0.593496) \cdot 0.485174 \\
  &= -0.197225
\end{aligned}
$$
$$
\begin{aligned}
\frac{\partial L}{\partial w_2} &= -(1 - y) \, w_3 \, \sigma'(w_2 \sigma(w_1 x)) \, \sigma(w_1 x) \\
  &= -0.0427113
\end{aligned}
$$
$$
\begin{aligned}
\frac{\partial L}{\partial w_1} &= -(1 - y) \, w_3 \, \sigma'(w_2 \sigma(w_1 x)) \, w_2 \, \sigma'(w_1 x) \, x \\
  &= 0.00136364
\end{aligned}
$$
`;

const C5 = String.raw`# C5

$$w_1 = 0.25$$
$$w_2 = -0.11$$
$$w_3 = 0.78$$
$$x = 0.63$$
$$\hat{y} = 128$$
$$y = w_3 \sigma(w_2 \sigma(w_1 x)) = 0.378436$$
$$L = (\hat{y} - y)^2 = 16287.26$$

$$\frac{\partial L}{\partial w_3} = 2(y - \hat{y}) \, \sigma(w_2 \sigma(w_1 x)) = -123.837$$
$$\frac{\partial L}{\partial w_2} = 2(y - \hat{y}) \, w_3 \, \sigma'(w_2 \sigma(w_1 x)) \, \sigma(w_1 x) = -26.8184$$
$$\frac{\partial L}{\partial w_1} = 2(y - \hat{y}) \, w_3 \, \sigma'(w_2 \sigma(w_1 x)) \, w_2 \, \sigma'(w_1 x) \, x = 0.856228$$
`;

const D3 = String.raw`# D3 with three units and a scalar input

$$f = \left(y - \sum_{i=1}^{3} \sigma(w_i x + b_i)\right)^2$$

$$\frac{\partial f}{\partial b_2} = 2 \left(\sum_{j=1}^{3} \sigma(w_j x + b_j) - y\right) \sigma(w_2 x + b_2) \left(1 - \sigma(w_2 x + b_2)\right)$$

$$\frac{\partial f}{\partial w_2} = 2 \left(\sum_{j=1}^{3} \sigma(w_j x + b_j) - y\right) \sigma(w_2 x + b_2) \left(1 - \sigma(w_2 x + b_2)\right) x$$
`;

export const SOLUTIONS: readonly Solution[] = [
  {
    name: "A1",
    markdown: A1,
    broken: [
      variant(A1, "flipped sign of a term", "&= 2(x_1 - 6) - x_2", "&= 2(x_1 - 6) + x_2"),
      variant(A1, "arithmetic slip", "= 4 + 16 - 32 = -12", "= 4 + 16 - 32 = -11"),
      variant(A1, "swapped indices", "&= 2 x_2 - x_1", "&= 2 x_1 - x_2", "mixed-up indices"),
      variant(A1, "gradient component with a flipped sign", "2x_1 - x_2 - 12,\\; 2x_2 - x_1\\right)", "2x_1 - x_2 - 12,\\; 2x_2 + x_1\\right)", "component 2"),
      variant(A1, "gradient value, components exchanged", "$$\\nabla f(6, 6) = (-6, 6)$$", "$$\\nabla f(6, 6) = (6, -6)$$", "components 1 and 2 are exchanged"),
      variant(A1, "Hessian with a wrong sign", "\\begin{pmatrix} 2 & -1 \\\\ -1 & 2 \\end{pmatrix}", "\\begin{pmatrix} 2 & 1 \\\\ 1 & 2 \\end{pmatrix}", "entry (1, 2)"),
      variant(A1, "mixed second derivative", "\\partial x_2} = -1", "\\partial x_2} = 1", "sign error"),
      variant(A1, "second claim after \\qquad", "\\partial x_1^2} = 2$$", "\\partial x_1^2} = 3$$"),
      variant(A1, "not a stationary point (inline)", "$\\nabla f(8, 4) = (0, 0)$", "$\\nabla f(8, 4) = (0, 1)$", "component 2"),
    ],
  },
  {
    name: "A2",
    markdown: A2,
    broken: [
      variant(A2, "arithmetic slip in an update", "\\frac{1}{3} (3, -3) = (8, 4)", "\\frac{1}{3} (3, -3) = (8, 5)", "component 2"),
      variant(A2, "wrong gradient in the table", "$\\nabla f(9, 3) = (3, -3)$", "$\\nabla f(9, 3) = (3, 3)$", "component 2"),
      variant(A2, "wrong value in the table", "$f(9, 3) = -9$", "$f(9, 3) = -8$"),
    ],
  },
  {
    name: "A4",
    markdown: A4,
    broken: [
      variant(A4, "wrong activation derivative", "&= \\sigma(x)\\left(1 - \\sigma(x)\\right)", "&= 1 - \\sigma(x)^2", "wrong function"),
      variant(A4, "flipped sign", "$$\\tanh'(x) = 1 - \\tanh^2(x)$$", "$$\\tanh'(x) = \\tanh^2(x) - 1$$"),
      variant(A4, "sign slip inside a chain", "&= \\frac{e^{-x}}{\\left(1 + e^{-x}\\right)^2}", "&= \\frac{-e^{-x}}{\\left(1 + e^{-x}\\right)^2}", "sign error"),
    ],
  },
  {
    name: "B2",
    markdown: B2,
    broken: [
      variant(B2, "dropped factor", "(f_{\\text{out}} - y) \\, u_2 \\left(1 - z_{2,\\text{out}}^2\\right) x_1$$", "(f_{\\text{out}} - y) \\, u_2 \\, x_1$$", "chain-rule factor is missing"),
      variant(B2, "flipped sign", "$$\\frac{\\partial L}{\\partial f_{\\text{in}}} = f_{\\text{out}} - y$$", "$$\\frac{\\partial L}{\\partial f_{\\text{in}}} = y - f_{\\text{out}}$$", "sign error"),
      variant(B2, "swapped indices", "w_{11} + u_2 \\left(1 - z_{2,\\text{out}}^2\\right) w_{12}\\right)$$", "w_{11} + u_2 \\left(1 - z_{2,\\text{out}}^2\\right) w_{21}\\right)$$", "mixed-up indices"),
      variant(B2, "wrong activation derivative", "= 1 - \\tanh^2(z_{2,\\text{in}})$$", "= \\tanh(z_{2,\\text{in}})(1 - \\tanh(z_{2,\\text{in}}))$$", "wrong function"),
      variant(B2, "dropped input factor", "\\frac{\\partial z_{2,\\text{in}}}{\\partial w_{12}} = x_1$$", "\\frac{\\partial z_{2,\\text{in}}}{\\partial w_{12}} = 1$$"),
    ],
  },
  {
    name: "C4",
    markdown: C4,
    broken: [
      variant(C4, "arithmetic slip", "w_3 \\cdot 0.485174 &= 0.378436", "w_3 \\cdot 0.485174 &= 0.387436"),
      variant(C4, "wrong rounding", "\\sigma(0.378436) &= 0.593496", "\\sigma(0.378436) &= 0.59349"),
      variant(C4, "flipped sign", "&= -(1 - y) \\, \\sigma(w_2 \\sigma(w_1 x))", "&= (1 - y) \\, \\sigma(w_2 \\sigma(w_1 x))", "sign error"),
      variant(C4, "dropped factor", "&= -(1 - y) \\, w_3 \\, \\sigma'(w_2 \\sigma(w_1 x)) \\, \\sigma(w_1 x)", "&= -(1 - y) \\, \\sigma'(w_2 \\sigma(w_1 x)) \\, \\sigma(w_1 x)", "chain-rule factor is missing"),
    ],
  },
  {
    name: "C5",
    markdown: C5,
    broken: [
      variant(C5, "arithmetic slip", "= 16287.26", "= 16278.26"),
      variant(C5, "flipped sign", "2(y - \\hat{y}) \\, \\sigma(w_2 \\sigma(w_1 x)) = -123.837", "2(\\hat{y} - y) \\, \\sigma(w_2 \\sigma(w_1 x)) = -123.837", "sign error"),
      variant(C5, "wrong rounding", "= 0.856228", "= 0.856238"),
    ],
  },
  {
    name: "D3",
    markdown: D3,
    broken: [
      variant(D3, "dropped factor", "\\left(1 - \\sigma(w_2 x + b_2)\\right) x$$", "\\left(1 - \\sigma(w_2 x + b_2)\\right)$$", "chain-rule factor is missing"),
      variant(D3, "flipped sign", "$$\\frac{\\partial f}{\\partial b_2} = 2 \\left(\\sum_{j=1}^{3} \\sigma(w_j x + b_j) - y\\right)", "$$\\frac{\\partial f}{\\partial b_2} = 2 \\left(y - \\sum_{j=1}^{3} \\sigma(w_j x + b_j)\\right)", "sign error"),
      variant(D3, "wrong activation derivative", "\\sigma(w_2 x + b_2) \\left(1 - \\sigma(w_2 x + b_2)\\right)$$", "\\left(1 - \\sigma(w_2 x + b_2)^2\\right)$$", "wrong function"),
    ],
  },
];

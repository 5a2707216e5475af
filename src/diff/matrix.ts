/**
 * Gradients in matrix notation, by reverse mode on matrix expressions (the matrix-calculus form
 * of backpropagation). The adjoint Ḡ of a node is ∂f/∂(node) in denominator layout: shaped like
 * the node, so that df = tr(Ḡᵀ d(node)). Each rule follows from the differential:
 *
 *   Y = S L M R   (S scalars)    M̄ += S Lᵀ Ȳ Rᵀ           s̄ += sum(Ȳ ⊙ (the rest))
 *   Y = A + B                    Ā += Ȳ (summed when A is a scalar added to every entry)
 *   Y = A ⊙ B                    Ā += Ȳ ⊙ B
 *   Y = f(A) elementwise         Ā += Ȳ ⊙ f'(A)
 *   Y = Aᵀ                       Ā += Ȳᵀ
 *   y = tr(A), sum(A), ||A||     Ā += ȳ I,  ȳ 1,  ȳ A / ||A||      (||A||² directly: 2 ȳ A)
 *   y = E[u]                     ∂y/∂w = E[∂u/∂w]   (E is linear)
 *
 * Programs are differentiated through their definitions the way backprop runs: the target's
 * adjoints first, then each definition's body seeded with the adjoint of its name, last
 * definition first. Results are written in the defined names (r Φ(h)ᵀ, not the expanded form).
 */
import * as Q from "../ast/rational.js";
import { call, sym, type Expr } from "../ast/index.js";
import { DeriveError } from "../errors.js";
import { getFunction, lookupFunction } from "../functions/index.js";
import { functionName, inlineProgram, type MatrixProgram } from "../matrix/build.js";
import * as N from "../matrix/nodes.js";
import type { MExpr, MVar } from "../matrix/nodes.js";
import { formatShape, isScalarShape } from "../matrix/shape.js";
import { simplifyMatrix } from "../simplify/matrix.js";

const isScalar = (e: MExpr): boolean => isScalarShape(e.shape);

// ---------------------------------------------------------------------------------------------
// Elementwise derivatives of registry functions

const PLACEHOLDER = "\u0000u";

/** f'(A) elementwise, from the registry's derivative of f (σ' = σ(1 - σ) becomes σ(A) ⊙ (1 - σ(A))). */
export function elementwiseDerivative(fn: string, order: number, a: MExpr): MExpr {
  if (order > 0 || !lookupFunction(fn)) return N.apply(fn, a, order + 1);
  const self = call(fn, sym(PLACEHOLDER));
  return scalarToElementwise(getFunction(fn).derivative(self, 0), a);
}

/** A scalar expression in the placeholder, applied to every entry of `a`. */
function scalarToElementwise(e: Expr, a: MExpr): MExpr {
  switch (e.kind) {
    case "num":
      return N.mconst(e.value);
    case "sym":
      return e.name === PLACEHOLDER ? a : N.mvar(e.name, { rows: 1, cols: 1 });
    case "add":
      return N.add(...e.args.map((t) => scalarToElementwise(t, a)));
    case "mul":
      return N.hadamard(...e.args.map((t) => scalarToElementwise(t, a)));
    case "pow": {
      if (e.exp.kind !== "num") throw new DeriveError("internal: a derivative with a symbolic exponent cannot be applied elementwise");
      const base = scalarToElementwise(e.base, a);
      const k = e.exp.value;
      // integer powers as repeated ⊙ (tanh(h) ⊙ tanh(h)), which reads and re-parses as matrices
      if (!isScalar(base) && Q.isInteger(k) && k.n >= 2n && k.n <= 4n) return N.hadamard(...Array.from({ length: Number(k.n) }, () => base));
      return N.pow(base, k);
    }
    case "call": {
      if (e.args.length !== 1) throw new DeriveError(`internal: ${e.fn} of several arguments in an elementwise derivative`);
      return N.apply(e.fn, scalarToElementwise(e.args[0]!, a));
    }
  }
}

/** ⟨G, R⟩ = tr(Gᵀ R), written Gᵀ R for vectors. */
function innerProduct(g: MExpr, r: MExpr): MExpr {
  return r.shape.cols === 1 ? N.mul(N.transpose(g), r) : N.trace(N.mul(N.transpose(g), r));
}

// ---------------------------------------------------------------------------------------------
// Reverse mode over one expression DAG

/** Nodes reachable from `root`, children before parents. */
function postorder(root: MExpr): MExpr[] {
  const out: MExpr[] = [];
  const seen = new Set<MExpr>();
  const stack: Array<{ node: MExpr; expanded: boolean }> = [{ node: root, expanded: false }];
  while (stack.length > 0) {
    const top = stack.pop()!;
    if (top.expanded) {
      out.push(top.node);
      continue;
    }
    if (seen.has(top.node)) continue;
    seen.add(top.node);
    stack.push({ node: top.node, expanded: true });
    for (const c of N.children(top.node)) if (!seen.has(c)) stack.push({ node: c, expanded: false });
  }
  return out;
}

type Contributions = Map<MExpr, MExpr[]>;

const push = (into: Contributions, node: MExpr, g: MExpr): void => {
  if (N.isZeroExpr(g)) return;
  const list = into.get(node);
  if (list) list.push(g);
  else into.set(node, [g]);
};

/**
 * Propagates the adjoint `seed` of `root` to the variables below it (their adjoints land in
 * `leaves`). Only nodes that depend on some variable are visited.
 */
function backpropagate(root: MExpr, seed: MExpr, leaves: Contributions): void {
  const order = postorder(root);
  const depends = new Set<MExpr>();
  for (const n of order) {
    if (n.kind === "var" || N.children(n).some((c) => depends.has(c))) depends.add(n);
  }
  if (!depends.has(root)) return;
  const local: Contributions = new Map([[root, [seed]]]);
  for (let i = order.length - 1; i >= 0; i--) {
    const n = order[i]!;
    if (!depends.has(n)) continue;
    const parts = local.get(n);
    if (!parts) continue;
    const g = N.add(...parts);
    if (n.kind === "var") {
      push(leaves, n, g);
      continue;
    }
    const send = (child: MExpr, contribution: () => MExpr): void => {
      if (depends.has(child)) push(local, child, contribution());
    };
    rule(n, g, send, leaves);
  }
}

function rule(n: MExpr, g: MExpr, send: (child: MExpr, c: () => MExpr) => void, leaves: Contributions): void {
  switch (n.kind) {
    case "add":
      for (const c of n.args) send(c, () => (isScalar(c) && !isScalar(n) ? N.sum(g) : g));
      return;
    case "mul": {
      const scalars = n.args.filter(isScalar);
      const matrices = n.args.filter((a) => !isScalar(a));
      scalars.forEach((s, i) => {
        send(s, () => {
          const rest = N.mul(...scalars.filter((_, k) => k !== i), ...matrices);
          return isScalar(rest) ? N.mul(g, rest) : innerProduct(g, rest);
        });
      });
      matrices.forEach((m, j) => {
        send(m, () => {
          const left = matrices.slice(0, j);
          const right = matrices.slice(j + 1);
          return N.mul(...scalars, ...(left.length > 0 ? [N.transpose(N.mul(...left))] : []), g, ...(right.length > 0 ? [N.transpose(N.mul(...right))] : []));
        });
      });
      return;
    }
    case "hadamard":
      n.args.forEach((c, i) => send(c, () => N.hadamard(g, ...n.args.filter((_, k) => k !== i))));
      return;
    case "pow": {
      const { base, exp } = n;
      if (base.kind === "norm" && Q.equals(exp, Q.rational(2n))) {
        // ||A||² = sum(A ⊙ A): 2 ȳ A, without the square root and its cancellation
        send(base.arg, () => N.mul(N.M_TWO, g, base.arg));
        return;
      }
      send(base, () => N.hadamard(g, N.mul(N.mconst(exp), N.pow(base, Q.sub(exp, Q.ONE)))));
      return;
    }
    case "transpose":
      send(n.arg, () => N.transpose(g));
      return;
    case "apply":
      send(n.arg, () => N.hadamard(g, elementwiseDerivative(n.fn, n.order, n.arg)));
      return;
    case "trace":
      send(n.arg, () => N.mul(g, N.identity(n.arg.shape.rows)));
      return;
    case "sum":
      send(n.arg, () => N.mul(g, N.ones(n.arg.shape)));
      return;
    case "norm":
      send(n.arg, () => N.mul(g, N.pow(n, Q.MINUS_ONE), n.arg));
      return;
    case "expect": {
      // E is linear and the adjoint comes from outside it (not random): backpropagate inside,
      // then take the expectation of what reaches each variable
      const inner: Contributions = new Map();
      backpropagate(n.arg, g, inner);
      for (const [v, parts] of inner) push(leaves, v, N.expect(N.add(...parts)));
      return;
    }
    case "entry":
      send(n.arg, () => N.mul(g, N.unit(n.arg.shape, n.row, n.col)));
      return;
    case "literal":
      throw new DeriveError("differentiating a matrix literal whose entries depend on the variable is not supported; declare the matrix instead");
    case "diag":
      throw new DeriveError("differentiating diag(v) by v is not supported");
    case "const":
    case "var":
    case "identity":
    case "ones":
    case "unit":
      return;
  }
}

/**
 * Backprop through a program: the target's adjoints first, then each definition's body seeded with
 * the adjoint its name received, last definition first. The adjoints of all variables (inputs and
 * defined names) come back.
 */
function backpropagateProgram(target: MExpr, seed: MExpr, definitions: readonly { name: string; body: MExpr }[]): Contributions {
  const leaves: Contributions = new Map();
  backpropagate(target, seed, leaves);
  for (let i = definitions.length - 1; i >= 0; i--) {
    const d = definitions[i]!;
    const parts = leaves.get(N.mvar(d.name, d.body.shape));
    if (parts) backpropagate(d.body, N.add(...parts), leaves);
  }
  return leaves;
}

// ---------------------------------------------------------------------------------------------
// Programs

export interface MatrixGradientOptions {
  /** Definitions the results are written in: "all" (default), or a set of names (others inlined). */
  readonly keep?: "all" | ReadonlySet<string>;
}

/**
 * ∂(target)/∂(each name), shaped like the name (denominator layout). A name may be an input or a
 * defined name (the adjoint of an intermediate, ∂ℓ/∂h).
 */
export function matrixGradient(program: MatrixProgram, wrt: readonly string[], options: MatrixGradientOptions = {}): Map<string, MExpr> {
  const keep = options.keep ?? "all";
  const kept = (name: string): boolean => keep === "all" || keep.has(name) || wrt.includes(name);
  const prepared = prepare(program, kept);
  const { target, definitions } = prepared;
  if (!isScalar(target)) throw new DeriveError(`the gradient needs a scalar function, but the expression is ${formatShape(target.shape)}`);
  const shapes = new Map<string, MVar>();
  for (const v of N.variables(inlineProgram(program))) shapes.set(v.name, v);
  for (const d of program.definitions) shapes.set(d.name, N.mvar(d.name, d.body.shape));
  for (const w of wrt) if (!shapes.has(w)) throw new DeriveError(`the expression does not contain ${w}`);

  const leaves = backpropagateProgram(target, N.M_ONE, definitions);
  const out = new Map<string, MExpr>();
  for (const w of wrt) {
    const v = shapes.get(w)!;
    const parts = leaves.get(v);
    const g = parts ? N.add(...parts) : N.mul(N.M_ZERO, N.ones(v.shape));
    out.set(w, nameDefinitions(simplifyMatrix(g), prepared.named));
  }
  return out;
}

interface Prepared {
  readonly target: MExpr;
  readonly definitions: readonly { name: string; body: MExpr }[];
  /** Definitions whose bodies, where they appear in a result, are written as their names. */
  readonly named: readonly { name: string; body: MExpr }[];
}

/** Inlines the definitions that are not kept (in bodies and the target). */
function prepare(program: MatrixProgram, kept: (name: string) => boolean): Prepared {
  const replaced = new Map<string, MExpr>();
  const inline = (e: MExpr): MExpr => N.rewrite(e, (n) => (n.kind === "var" ? replaced.get(n.name) : undefined));
  const definitions: { name: string; body: MExpr }[] = [];
  for (const d of program.definitions) {
    const body = inline(d.body);
    if (kept(d.name)) definitions.push({ name: d.name, body });
    else replaced.set(d.name, body);
  }
  const target = inline(program.target);
  return { target, definitions, named: definitions.filter((d) => !isScalar(d.body) || d.body.kind !== "var") };
}

/** σ'(h) written as the gradient writes it, σ(h) ⊙ (1 - σ(h)), so a definition δ = σ'(h) ⊙ … is found. */
const expandDerivatives = (e: MExpr): MExpr =>
  N.rewrite(e, (n) => (n.kind === "apply" && n.order > 0 && lookupFunction(n.fn) ? expandedDerivative(n.fn, n.order, expandDerivatives(n.arg)) : undefined));

function expandedDerivative(fn: string, order: number, a: MExpr): MExpr {
  if (order === 1) return elementwiseDerivative(fn, 0, a);
  return N.apply(fn, a, order);
}

/** Writes subexpressions equal to a kept definition's body as its name (δ for Φ'(h) ⊙ W2ᵀ r). */
function nameDefinitions(e: MExpr, named: readonly { name: string; body: MExpr }[]): MExpr {
  if (named.length === 0) return e;
  const byBody = new Map<MExpr, MExpr>();
  for (const d of named) if (d.body.kind !== "var" && d.body.kind !== "const") byBody.set(simplifyMatrix(expandDerivatives(d.body)), N.mvar(d.name, d.body.shape));
  return N.rewrite(e, (n) => byBody.get(n));
}

// ---------------------------------------------------------------------------------------------
// Jacobians and Hessians of vectors

/** A vector standing for the adjoint seed u, so that backprop gives Jᵀ u, linear in u. */
const SEED_NAME = "\u0000seed";

/**
 * M with e = M u, for e linear in the column vector u (what backprop with the seed u gives):
 * read off the product, ⊙ (as diag) and E structure; anything else is not in matrix form.
 */
function linearCoefficient(e: MExpr, u: MExpr): MExpr {
  if (e === u) return N.identity(u.shape.rows);
  const has = (x: MExpr): boolean => N.dependsOn(x, (u as MVar).name);
  const notLinear = (): DeriveError => new DeriveError("this derivative has no matrix form here (the Jacobian is not a product of matrices); use index notation");
  switch (e.kind) {
    case "add":
      return N.add(...e.args.filter(has).map((t) => linearCoefficient(t, u)));
    case "expect":
      return N.expect(linearCoefficient(e.arg, u));
    case "hadamard": {
      const inside = e.args.filter(has);
      if (inside.length !== 1 || e.shape.cols !== 1) throw notLinear();
      const others = e.args.filter((a) => !has(a));
      return N.mul(N.diag(N.hadamard(...others)), linearCoefficient(inside[0]!, u));
    }
    case "mul": {
      const inside = e.args.filter(has);
      if (inside.length !== 1) throw notLinear();
      const factor = inside[0]!;
      const rest = e.args.filter((a) => a !== factor);
      if (isScalar(factor)) {
        // s = r u is a scalar: e = s · rest = (rest r) u
        return N.mul(...rest, linearCoefficient(N.transpose(factor), u));
      }
      const matrices = e.args.filter((a) => !isScalar(a));
      if (matrices[matrices.length - 1] !== factor) throw notLinear();
      return N.mul(...rest, linearCoefficient(factor, u));
    }
    default:
      throw notLinear();
  }
}

/**
 * The Jacobian ∂g/∂wᵀ of a vector-valued definition or target g by a vector w (rows: entries of
 * g, columns: entries of w), in matrix notation: J with dg = J dw.
 */
export function matrixJacobian(program: MatrixProgram, of: MExpr, wrt: string, options: MatrixGradientOptions = {}): MExpr {
  if (of.shape.cols !== 1) throw new DeriveError(`a Jacobian in matrix form needs a vector, not a ${formatShape(of.shape)} matrix`);
  const kept = (name: string): boolean => options.keep === undefined || options.keep === "all" || options.keep.has(name);
  const prepared = prepare({ ...program, target: of }, kept);
  const seed = N.mvar(SEED_NAME, of.shape);
  const leaves = backpropagateProgram(prepared.target, seed, prepared.definitions);
  const target = [...leaves.keys()].find((v) => v.kind === "var" && v.name === wrt) as MVar | undefined;
  if (!target) return N.mul(N.M_ZERO, N.ones({ rows: of.shape.rows, cols: of.shape.rows }));
  if (target.shape.cols !== 1) throw new DeriveError(`a Jacobian in matrix form is taken by a vector; ${wrt} is ${formatShape(target.shape)} (by a matrix it has four indices: use index notation)`);
  const transposed = linearCoefficient(simplifyMatrix(N.add(...leaves.get(target)!)), seed);
  return nameDefinitions(simplifyMatrix(N.transpose(transposed)), prepared.named);
}

/** The Hessian of a scalar program by a vector w: the Jacobian of its gradient (symmetric). */
export function matrixHessian(program: MatrixProgram, wrt: string, options: MatrixGradientOptions = {}): MExpr {
  const gradient = matrixGradient(program, [wrt], { keep: options.keep ?? "all" }).get(wrt)!;
  // the gradient has the variable's shape: by a matrix the Hessian has four indices
  if (gradient.shape.cols !== 1) throw new DeriveError(`a Hessian in matrix form is taken by a vector; ${wrt} is ${formatShape(gradient.shape)} (by a matrix it has four indices: use index notation)`);
  const hessian = matrixJacobian(program, gradient, wrt, options);
  // symmetric: write it the way round that reads best (x xᵀ rather than its transpose)
  const other = simplifyMatrix(N.transpose(hessian));
  return other.depth < hessian.depth ? other : hessian;
}

// ---------------------------------------------------------------------------------------------
// The backward pass as a derivation (sheet C1's ∂L/∂W = (∂L/∂Y) Xᵀ, then the numbers)

/** Names of adjoint variables: ∂(target)/∂(name), printed as such (see render/matrix.ts). */
export const ADJOINT_PREFIX = "\u0001";
export const adjointName = (name: string): string => `${ADJOINT_PREFIX}${name}`;

/** One line of the backward pass: ∂f/∂name, first in adjoints of later names, then substituted. */
export interface BackwardStep {
  readonly name: string;
  /** In terms of the adjoints of the names that use `name` (∂L/∂Y Xᵀ); undefined for the target. */
  readonly local?: MExpr;
  /** The adjoints substituted and simplified, in the defined names (2 (Y - Ŷ) Xᵀ). */
  readonly result: MExpr;
}

/**
 * The backward pass of a scalar program: the adjoint of every defined name the wanted variables
 * depend through (last definition first), then each wanted variable; each written first through
 * the adjoints of its users, then substituted.
 */
export function matrixBackwardPass(program: MatrixProgram, wrt: readonly string[]): BackwardStep[] {
  // the program's function: its last definition, or the expression it ends with
  const targetName = functionName(program);
  const target = targetName === undefined ? program.target : program.definitions.find((d) => d.name === targetName)!.body;
  if (!isScalar(target)) throw new DeriveError(`the gradient needs a scalar function, but the expression is ${formatShape(target.shape)}`);
  // only the definitions the function is computed through (not names kept for reading, like δ)
  const used = new Set<string>();
  const visit = (e: MExpr): void => {
    for (const v of N.variables(e)) {
      const d = program.definitions.find((x) => x.name === v.name);
      if (d && !used.has(d.name)) {
        used.add(d.name);
        visit(d.body);
      }
    }
  };
  visit(target);
  const definitions = program.definitions.filter((d) => used.has(d.name) && d.name !== targetName);
  const local: Contributions = new Map();
  const bodies: Array<{ seed: MExpr; body: MExpr }> = [{ seed: N.M_ONE, body: target }];
  for (const d of definitions) bodies.push({ seed: N.mvar(adjointName(d.name), d.body.shape), body: d.body });
  for (const { seed, body } of bodies) backpropagate(body, seed, local);

  const results = new Map<string, MExpr>();
  const steps: BackwardStep[] = [];
  const substitute = (e: MExpr): MExpr =>
    N.rewrite(e, (n) => (n.kind === "var" && n.name.startsWith(ADJOINT_PREFIX) ? results.get(n.name.slice(1)) : undefined));
  const named = program.definitions.filter((d) => d.name !== targetName).map((d) => ({ name: d.name, body: d.body }));
  const line = (name: string, v: MExpr): void => {
    const parts = local.get(v);
    const generic = parts ? simplifyMatrix(N.add(...parts)) : N.mul(N.M_ZERO, N.ones(v.shape));
    const result = nameDefinitions(simplifyMatrix(substitute(generic)), named.filter((d) => d.name !== name));
    results.set(name, result);
    steps.push({ name, ...(generic !== result ? { local: generic } : {}), result });
  };
  const needed = new Set<string>();
  for (const w of wrt) for (const d of definitions) if (N.dependsOn(d.body, w) || d.name === w) needed.add(d.name);
  for (let i = definitions.length - 1; i >= 0; i--) {
    const d = definitions[i]!;
    if (needed.has(d.name) || wrt.includes(d.name)) line(d.name, N.mvar(d.name, d.body.shape));
  }
  const inputs = new Map(N.variables(inlineProgram(program)).map((v) => [v.name, v]));
  for (const w of wrt) {
    if (results.has(w)) continue;
    const v = inputs.get(w);
    if (!v) throw new DeriveError(`the expression does not contain ${w}`);
    line(w, v);
  }
  return steps;
}

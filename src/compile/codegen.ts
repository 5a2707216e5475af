/**
 * Standalone, readable source code computing a program's value and gradient, in JavaScript,
 * Python (NumPy) or R: the same reverse-mode sweeps as the compiled evaluator, written with the
 * program's own names where they are plain identifiers of the language (inputs and defined names
 * such as z1 or f_out), `v1, v2, …` for other intermediate values and `g…`/`d_…` for adjoints.
 *
 * Names: a user's name is used only if it is a plain ASCII identifier (letter, then letters,
 * digits, underscores), not a keyword or a name the generated code itself uses; anything else
 * (`constructor` in JS, `__proto__`, `a);process.exit(1);(`, `λ`) gets a neutral name `in1`, `in2`, …
 * and is mentioned in the header comment only by position. So no input text reaches the code.
 *
 * With data columns, Python and R code is vectorised (NumPy arrays, R vectors) and JavaScript
 * loops over the rows; the result is the mean (or sum) over the rows, as in `compileGradient`.
 */
import type { Expr } from "../ast/index.js";
import { expandedDefinitions, type Program } from "../program/index.js";
import { freeSymbols } from "../ast/index.js";
import { lookupConstant } from "../functions/index.js";
import { DeriveError } from "../errors.js";
import { generate } from "./generate.js";
import { language, type Language, type LanguageName } from "./languages.js";
import { lowerPrimitives, rewriteLogs } from "./lower.js";
import { prepare, targetOf, type CompileOptions } from "./prepare.js";

export interface CodegenOptions extends CompileOptions {
  readonly language: LanguageName | string;
  /** Name of the generated function (default lossAndGradient in JS, loss_and_gradient otherwise). */
  readonly name?: string;
}

export interface GeneratedSource {
  readonly language: LanguageName;
  readonly name: string;
  readonly code: string;
  /** Parameters (gradient components, in order), data columns and other scalar inputs, as the function's arguments, in order. */
  readonly params: readonly string[];
  readonly data: readonly string[];
  readonly fixed: readonly string[];
  /** The argument names used in the code, in the same order (params, data, fixed). */
  readonly argumentNames: readonly string[];
}

const IDENTIFIER = /^[A-Za-z][A-Za-z0-9_]*$/;
/** Names the generated code uses for itself. */
const OWN = new Set(["n", "i", "s", "value", "gradient", "out", "np", "numpy"]);
const GENERATED = /^(v|g|in)\d+$/;

class NameTable {
  private readonly taken = new Set<string>();
  private counter = 0;
  constructor(private readonly lang: Language) {}

  isUsable(name: string): boolean {
    return IDENTIFIER.test(name) && !this.lang.reserved.has(name) && !OWN.has(name) && !GENERATED.test(name) && !this.taken.has(name);
  }

  /** The preferred name if usable, else a neutral one. */
  claim(preferred: string | undefined, neutral: () => string): string {
    if (preferred !== undefined && this.isUsable(preferred)) {
      this.taken.add(preferred);
      return preferred;
    }
    let name = neutral();
    while (this.taken.has(name)) name = neutral();
    this.taken.add(name);
    return name;
  }

  input(name: string): string {
    return this.claim(name, () => `in${++this.counter}`);
  }
}

function defaultName(lang: LanguageName): string {
  return lang === "js" ? "lossAndGradient" : "loss_and_gradient";
}

/** Defined names by their (rewritten, lowered) bodies, so their values get their names. */
function definitionNames(input: Program | Expr, options: CompileOptions): Map<Expr, string> {
  const out = new Map<Expr, string>();
  if ((input as Program).definitions === undefined) return out;
  const memo = new Map<Expr, Expr>();
  for (const [name, body] of expandedDefinitions(input as Program)) {
    if (body.kind === "sym" || body.kind === "num") continue;
    const lowered = lowerPrimitives(rewriteLogs(body, { guard: options.guard, stable: options.stable }), memo);
    if (!out.has(lowered)) out.set(lowered, name);
  }
  return out;
}

/** Standalone source computing value and gradient. Every free name must be a param, data column or fixed value; the rest become scalar arguments. */
export function codegen(input: Program | Expr, options: CodegenOptions): GeneratedSource {
  const lang = language(options.language);
  const fnName = options.name ?? defaultName(lang.name);
  const table = new NameTable(lang);
  if (!table.isUsable(fnName)) throw new DeriveError(`"${fnName}" cannot be the function's name in ${lang.name}: use letters, digits and underscores, not a reserved word`);
  table.claim(fnName, () => fnName);

  const known = new Set([...options.params, ...(options.data ?? [])]);
  const given = new Set(options.values instanceof Map ? options.values.keys() : Object.keys(options.values ?? {}));
  const fixed = freeSymbols(targetOf(input))
    .map((s) => s.name)
    .filter((n) => !known.has(n) && !given.has(n) && !lookupConstant(n));
  const prepared = prepare(input, options, fixed);
  const batched = prepared.data.length > 0;
  const mean = prepared.reduce === "mean";

  const argNames = new Map<string, string>();
  for (const n of [...prepared.params, ...prepared.data, ...prepared.fixed]) argNames.set(n, table.input(n));
  const defNames = definitionNames(input, options);
  const valueNames = new Map<Expr, string>();
  let counter = 0;
  const vectorised = lang.name !== "js";
  const sumOf = (e: string): string => (lang.name === "python" ? `np.sum(${e})` : lang.name === "r" ? `sum(${e})` : e);

  const g = generate(
    lang,
    {
      input(node, binding) {
        const arg = argNames.get(node.name)!;
        if (binding.kind === "data" && !vectorised) {
          const name = table.claim(`${arg}_i`, () => `v${++counter}`);
          return { code: name, load: lang.declare(name, `${arg}[i]`) };
        }
        return { code: arg };
      },
      name(node, role) {
        if (role === "value") {
          const name = table.claim(defNames.get(node), () => `v${++counter}`);
          valueNames.set(node, name);
          return name;
        }
        // d_z1 for a named value; neutral g… otherwise
        const v = valueNames.get(node) ?? (node.kind === "sym" ? argNames.get(node.name) : undefined);
        return table.claim(v !== undefined && !/^v\d+$/.test(v) ? `d_${v}` : undefined, () => `g${++counter}`);
      },
      reduceInto: (target, expr) => (vectorised ? lang.accumulate(target, sumOf(expr)) : lang.accumulate(target, expr)),
    },
    {
      root: prepared.root,
      inputs: prepared.inputs,
      gradient: true,
      rows: batched,
      rowCount: "n",
      rowSeed: lang.name === "python" ? "np.ones(n)" : lang.name === "r" ? "rep(1, n)" : "1",
    },
  );

  const args = [...prepared.params, ...prepared.data, ...prepared.fixed].map((n) => argNames.get(n)!);
  const paramArgs = prepared.params.map((n) => argNames.get(n)!);
  const dataArgs = prepared.data.map((n) => argNames.get(n)!);
  const scale = batched && mean ? " / n" : "";
  const grads = g.gradient.map((a) => (a === undefined ? lang.literal(0) : `${a}${scale}`));
  const valueSum = !batched ? g.value : g.rootPerRow ? (vectorised ? sumOf(g.value) : "value") : `${g.value} * n`;
  const value = batched && mean ? (g.rootPerRow ? `${valueSum} / n` : g.value) : valueSum;

  const describe = [
    `Value and gradient, generated by derive (reverse mode: one forward and one backward sweep).`,
    `Gradient components, in order: ${paramArgs.join(", ") || "(none)"}.`,
    batched
      ? `Data columns ${dataArgs.join(", ")}: arrays of equal length; the value is the ${mean ? "mean" : "sum"} over the rows.`
      : `Evaluated at one point.`,
  ];
  if (prepared.fixed.length > 0) describe.push(`Other inputs (not differentiated): ${prepared.fixed.map((n) => argNames.get(n)!).join(", ")}.`);
  const renamed = [...argNames].filter(([n, a]) => n !== a).map(([, a]) => a);
  if (renamed.length > 0) describe.push(`Inputs whose names are not identifiers here are called ${renamed.join(", ")} (by position).`);

  const out: string[] = [];
  const indent = (lines: readonly string[], by: string): string[] => lines.map((l) => `${by}${l}`);
  if (lang.name === "js") {
    out.push("/**", ...describe.map((d) => ` * ${d}`), " */");
    out.push(`export function ${fnName}(${args.join(", ")}) {`);
    const body: string[] = [];
    if (batched) body.push(`const n = ${dataArgs[0]}.length;`);
    body.push(...g.pre);
    if (batched) {
      if (g.rootPerRow) body.push("let value = 0;");
      body.push("for (let i = 0; i < n; i++) {", ...indent(g.rows, "  "));
      if (g.rootPerRow) body.push(`  value += ${g.value};`);
      body.push("}");
    }
    body.push(...g.post);
    body.push(`return { value: ${value}, gradient: [${grads.join(", ")}] };`);
    out.push(...indent(body, "  "), "}");
  } else if (lang.name === "python") {
    out.push("import numpy as np", "", "");
    out.push(`def ${fnName}(${args.join(", ")}):`);
    const body: string[] = ['"""' + describe[0], "", ...describe.slice(1), "Returns (value, gradient) with gradient a NumPy array.", '"""'];
    for (const d of dataArgs) body.push(`${d} = np.asarray(${d}, dtype=float)`);
    if (batched) body.push(`n = ${dataArgs[0]}.shape[0]`);
    body.push(...g.pre, ...g.rows, ...g.post);
    body.push(`value = ${value}`, `gradient = np.array([${grads.join(", ")}], dtype=float)`, "return float(value), gradient");
    out.push(...indent(body, "    "));
  } else {
    out.push(...describe.map((d) => `# ${d}`), `# Returns list(value = , gradient = ) with a named gradient vector.`);
    out.push(`${fnName} <- function(${args.join(", ")}) {`);
    const body: string[] = [];
    if (batched) body.push(`n <- length(${dataArgs[0]})`);
    body.push(...g.pre, ...g.rows, ...g.post);
    body.push(`value <- ${value}`, `gradient <- c(${paramArgs.map((p, k) => `${p} = ${grads[k]}`).join(", ")})`, "list(value = value, gradient = gradient)");
    out.push(...indent(body, "  "), "}");
  }
  return {
    language: lang.name,
    name: fnName,
    code: out.join("\n") + "\n",
    params: prepared.params,
    data: prepared.data,
    fixed: prepared.fixed,
    argumentNames: args,
  };
}

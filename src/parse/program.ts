/**
 * Programs: statements → definitions, functions, target and variables.
 *
 *   1. every statement is parsed on its own (statements.ts, parse.ts);
 *   2. definitions are registered (redefinitions and built-in names are errors), so definitions
 *      may come in any order;
 *   3. user functions are built in dependency order (a function may apply another one, never
 *      itself, directly or not), then value definitions and the target;
 *   4. value definitions are checked for cycles and for how deep they nest once inlined.
 */
import { freeSymbols, postorder, sym, type Expr } from "../ast/index.js";
import { DeriveError, guardDepth } from "../errors.js";
import { lookupConstant, lookupFunction } from "../functions/index.js";
import { dependencyOrder, type Definition, type Program } from "../program/index.js";
import { appliedNames, buildExpr, errorAt, firstToken, recordVariable, tokenName, type BuildScope, type UserFunction } from "./build.js";
import type { Token } from "./lexer.js";
import { MAX_NESTING } from "./limits.js";
import { isGreekLetterName } from "./names.js";
import { listItems, type Statement, type Syntax } from "./syntax.js";

/** A definition statement with its resolved names. */
interface DefinitionInfo {
  readonly name: string;
  readonly token: Token;
  readonly params: readonly string[];
  readonly paramTokens: readonly Token[];
  readonly body: Syntax;
}

const ownLine = (token: Token): string => `line ${token.line}`;

/** Refuses names that belong to the registry: built-in functions (except Greek letters used as values) and constants. */
function checkDefinable(text: string, token: Token, name: string, role: "value" | "function" | "parameter"): void {
  const action = role === "parameter" ? `use ${name} as a parameter` : `define ${name}`;
  if (lookupConstant(name)) throw errorAt(text, token, `cannot ${action}: it is a built-in constant`);
  const builtin = lookupFunction(name);
  if (builtin && (role === "function" || !isGreekLetterName(name))) {
    const alias = builtin.name === name ? "" : ` (another name for ${builtin.name})`;
    throw errorAt(text, token, `cannot ${action}: it is a built-in function${alias}`);
  }
}

/**
 * Builds a program from its text. Definitions keep other defined names as symbols (inlining is
 * the caller's choice); applications of user functions are expanded here.
 */
export function buildProgram(text: string, statements: readonly Statement[]): Program {
  if (statements.length === 0) throw new DeriveError("empty input: expected an expression or definitions followed by one");

  // 2. register definitions
  const defs: DefinitionInfo[] = [];
  const byName = new Map<string, DefinitionInfo>();
  statements.forEach((st, i) => {
    if (st.type === "expression") {
      if (i === statements.length - 1) return;
      throw errorAt(text, firstToken(st.expr), "only the last statement can be a bare expression (the expression of interest); define a name for this one, as in name = …");
    }
    if (st.type === "declare") throw new Error("internal: declarations are removed before buildProgram");
    const name = tokenName(text, st.name);
    const isFunction = st.type === "function";
    checkDefinable(text, st.name, name, isFunction ? "function" : "value");
    const previous = byName.get(name);
    if (previous) throw errorAt(text, st.name, `${name} is defined twice: on ${ownLine(previous.token)} and on ${ownLine(st.name)}`);
    const paramTokens = isFunction ? listItems(st.params) : [];
    const params: string[] = [];
    const seen = new Set<string>();
    for (const p of paramTokens) {
      const pname = tokenName(text, p);
      checkDefinable(text, p, pname, "parameter");
      if (seen.has(pname)) throw errorAt(text, p, `parameter ${pname} appears twice in ${name}(…)`);
      seen.add(pname);
      params.push(pname);
    }
    const info: DefinitionInfo = { name, token: st.name, params, paramTokens, body: st.body };
    defs.push(info);
    byName.set(name, info);
  });
  for (const d of defs) {
    d.params.forEach((p, i) => {
      const clash = byName.get(p);
      if (clash) throw errorAt(text, d.paramTokens[i]!, `parameter ${p} of ${d.name} is also defined on ${ownLine(clash.token)}; use another name for the parameter`);
    });
  }

  const last = statements[statements.length - 1]!;
  const lastDef = last.type === "expression" ? undefined : byName.get(tokenName(text, last.name));
  const variables = new Map<string, number>();
  const functions = new Map<string, UserFunction>();
  const values = new Set<string>();
  for (const d of defs) {
    if (d.params.length > 0) functions.set(d.name, { name: d.name, token: d.token, params: d.params });
    else values.add(d.name);
  }
  // the trailing function definition's parameters are its variables, where they are written
  if (lastDef && lastDef.params.length > 0) lastDef.params.forEach((p, i) => recordVariable(variables, p, lastDef.paramTokens[i]!.offset));
  const bodies = new Map<string, Expr>();
  const valueBody = (name: string): Expr | undefined => (values.has(name) ? bodies.get(name) : undefined);
  const scopeFor = (params: readonly string[]): BuildScope => ({ text, functions, values, params: new Set(params), variables, valueBody });

  // 3. functions in dependency order, then everything else
  for (const name of functionOrder(text, defs, functions)) {
    const d = byName.get(name)!;
    const body = buildExpr(d.body, scopeFor(d.params));
    functions.get(name)!.body = body;
    bodies.set(name, body);
  }
  for (const d of defs) if (d.params.length === 0) bodies.set(d.name, buildExpr(d.body, scopeFor([])));

  const definitions: Definition[] = defs.map((d) => ({
    name: d.name,
    params: d.params,
    body: bodies.get(d.name)!,
    position: { line: d.token.line, column: d.token.column },
  }));
  let target: Expr;
  let targetName: string | undefined;
  if (last.type === "expression") target = buildExpr(last.expr, scopeFor([]));
  else {
    targetName = lastDef!.name;
    target = lastDef!.params.length > 0 ? bodies.get(targetName)! : sym(targetName);
  }
  // a name recorded while building may be gone from the result (x_i inside sum(x_i, i, 1, 3)
  // is written out as x1, x2, x3): the variables are the names that remain
  const occurring = new Set<string>(lastDef ? lastDef.params : []);
  for (const e of [target, ...bodies.values()]) for (const s of freeSymbols(e)) occurring.add(s.name);
  const ordered = [...variables].filter(([name]) => occurring.has(name)).sort((a, b) => a[1] - b[1]).map(([name]) => name);
  const program: Program = targetName === undefined ? { definitions, target, variables: ordered } : { definitions, target, targetName, variables: ordered };

  // 4. cycles and nesting once inlined
  checkValueDefinitions(text, program, byName);
  return program;
}

/** Names of user functions, each after the functions its body applies; a cycle is an error. */
function functionOrder(text: string, defs: readonly DefinitionInfo[], functions: ReadonlyMap<string, UserFunction>): string[] {
  const uses = new Map<string, Token[]>();
  for (const d of defs) {
    if (d.params.length === 0) continue;
    uses.set(d.name, appliedNames(d.body).filter((t) => functions.has(tokenName(text, t))));
  }
  const order: string[] = [];
  const state = new Map<string, "visiting" | "done">();
  for (const start of uses.keys()) {
    if (state.has(start)) continue;
    // iterative depth-first search; the path is the stack
    const stack: Array<{ name: string; next: number }> = [{ name: start, next: 0 }];
    state.set(start, "visiting");
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const calls = uses.get(top.name)!;
      if (top.next < calls.length) {
        const callee = calls[top.next++]!;
        const name = tokenName(text, callee);
        const s = state.get(name);
        if (s === "done") continue;
        if (s === "visiting") {
          const path = stack.map((f) => f.name);
          const cycle = [...path.slice(path.indexOf(name)), name].join(" → ");
          throw errorAt(text, callee, name === top.name && path.length === path.indexOf(name) + 1
            ? `${name} applies itself: recursive functions are not supported`
            : `function definitions form a cycle: ${cycle}`);
        }
        state.set(name, "visiting");
        stack.push({ name, next: 0 });
      } else {
        state.set(top.name, "done");
        order.push(top.name);
        stack.pop();
      }
    }
  }
  return order;
}

/**
 * Value definitions must not form a cycle (reported by `dependencyOrder`), and every definition
 * and the target, with the definitions they use inlined, must nest at most MAX_NESTING deep:
 * that is what `inline` produces and what the rest of the engine then walks recursively. Both
 * checks here are iterative (a program may have 100,000 definitions).
 */
function checkValueDefinitions(text: string, program: Program, byName: ReadonlyMap<string, DefinitionInfo>): void {
  const values = new Map<string, Definition>();
  for (const d of program.definitions) if (d.params.length === 0) values.set(d.name, d);

  // Kahn's algorithm: dependencies first
  const users = new Map<string, string[]>();
  const waiting = new Map<string, number>();
  for (const [name, d] of values) {
    // postorder lists each distinct node once, so each used name once
    const deps: string[] = [];
    for (const x of postorder(d.body)) if (x.kind === "sym" && values.has(x.name)) deps.push(x.name);
    waiting.set(name, deps.length);
    for (const dep of deps) {
      const list = users.get(dep);
      if (list) list.push(name);
      else users.set(dep, [name]);
    }
  }
  const order: string[] = [];
  for (const [name, n] of waiting) if (n === 0) order.push(name);
  for (let i = 0; i < order.length; i++) {
    for (const user of users.get(order[i]!) ?? []) {
      const n = waiting.get(user)! - 1;
      waiting.set(user, n);
      if (n === 0) order.push(user);
    }
  }
  if (order.length < values.size) {
    const done = new Set(order);
    reportCycle(text, values, new Set([...values.keys()].filter((n) => !done.has(n))), program, byName);
  }

  // depth of each definition once inlined
  const inlinedDepth = new Map<string, number>();
  const depthOf = (e: Expr): number => {
    const memo = new Map<Expr, number>();
    for (const x of postorder(e)) {
      let d = 1;
      if (x.kind === "sym") d = inlinedDepth.get(x.name) ?? 1;
      else if (x.kind === "num") d = 1;
      else {
        const kids = x.kind === "pow" ? [x.base, x.exp] : x.args;
        for (const k of kids) d = Math.max(d, memo.get(k)! + 1);
      }
      memo.set(x, d);
    }
    return memo.get(e)!;
  };
  const tooDeep = (name: string, depth: number): DeriveError => {
    const token = byName.get(name)!.token;
    return errorAt(text, token, `too deeply nested: ${name}, with the definitions it uses substituted, is ${depth} levels deep (the limit is ${MAX_NESTING})`);
  };
  for (const name of order) {
    const depth = depthOf(values.get(name)!.body);
    if (depth > MAX_NESTING) throw tooDeep(name, depth);
    inlinedDepth.set(name, depth);
  }
  for (const d of program.definitions) {
    if (d.params.length === 0) continue;
    const depth = depthOf(d.body);
    if (depth > MAX_NESTING) throw tooDeep(d.name, depth);
  }
  const depth = depthOf(program.target);
  if (depth > MAX_NESTING) {
    throw new DeriveError(`too deeply nested: the last expression, with the definitions it uses substituted, is ${depth} levels deep (the limit is ${MAX_NESTING})`);
  }
}

/**
 * Names the cycle and points at it. `dependencyOrder` finds it; it recurses along chains of
 * definitions, so when a very long chain overflows the stack the cycle is found here instead,
 * iteratively: every definition Kahn's algorithm left over uses another left-over definition,
 * so following such uses from any of them must come back to a name already seen.
 */
function reportCycle(text: string, values: ReadonlyMap<string, Definition>, leftOver: ReadonlySet<string>, program: Program, byName: ReadonlyMap<string, DefinitionInfo>): never {
  let names: string[] | undefined;
  try {
    guardDepth("checking definitions for cycles", () => dependencyOrder(program));
  } catch (err) {
    if (!(err instanceof DeriveError)) throw err;
    const match = /^definitions form a cycle: (.*)$/.exec(err.message);
    if (match) names = match[1]!.split(" → ");
  }
  if (!names || !names.every((n) => byName.has(n))) {
    const next = (name: string): string => {
      for (const e of postorder(values.get(name)!.body)) if (e.kind === "sym" && leftOver.has(e.name)) return e.name;
      throw new Error(`internal: ${name} was left over by the topological sort but uses no left-over definition`);
    };
    const path: string[] = [];
    const seenAt = new Map<string, number>();
    let current = leftOver.values().next().value!;
    while (!seenAt.has(current)) {
      seenAt.set(current, path.length);
      path.push(current);
      current = next(current);
    }
    names = [...path.slice(seenAt.get(current)!), current];
  }
  const shown = names.length > 10 ? [...names.slice(0, 5), "…", ...names.slice(-2)] : names;
  const count = names.length > 10 ? ` (${names.length - 1} definitions)` : "";
  const token = byName.get(names[0]!)!.token;
  throw errorAt(text, token, `definitions form a cycle: ${shown.join(" → ")}${count}`);
}

/**
 * The parser: formula strings and programs as people type them on exercise sheets, to `Expr`s
 * and `Program`s. Everything the user can get wrong throws a DeriveError with a position
 * (line and column, 1-based, columns in code points) and, as `detail`, the offending source
 * line with a caret under the offending text.
 *
 *   parseExpression("2x^2 + sigmoid(w_1 x)")
 *   parseProgram("z = w*x + b\nf = σ(z)\nL = -(y log(f) + (1 - y) log(1 - f))")
 */
import type { Expr } from "../ast/index.js";
import { DeriveError } from "../errors.js";
import type { Program } from "../program/index.js";
import { buildExpr, errorAt, matrixSyntaxError } from "./build.js";
import { tokenize } from "./lexer.js";
import { parseStatement } from "./parse.js";
import { buildProgram } from "./program.js";
import { splitStatements } from "./statements.js";
import type { Statement } from "./syntax.js";

export { canonicalName, isGreekLetterName } from "./names.js";
export { MAX_NESTING, MAX_STATEMENT_TOKENS } from "./limits.js";

/**
 * A program: statements separated by line breaks or ";", `#` comments, definitions
 * `name = expr` and `f(x, y) = expr` in any order, and the expression of interest last.
 */
export function parseProgram(text: string): Program {
  const statements = splitStatements(text, tokenize(text)).map((s) => parseStatement(text, s));
  return buildProgram(text, scalarStatements(text, statements));
}

/** Every statement of a program, parsed (declarations included; the matrix builder reads them). */
export function parseStatements(text: string): Statement[] {
  return splitStatements(text, tokenize(text)).map((s) => parseStatement(text, s));
}

/** Declarations of scalars say nothing new to the scalar builder; others are refused. */
function scalarStatements(text: string, statements: readonly Statement[]): Statement[] {
  const out: Statement[] = [];
  for (const st of statements) {
    if (st.type !== "declare") {
      out.push(st);
      continue;
    }
    if (st.kind.text !== "scalar" || st.sizes) throw matrixSyntaxError(text, st.name, `the declaration ${st.name.text}: ${st.kind.text}`);
  }
  return out;
}

/** A single expression (comments and surrounding blank lines allowed; no definitions). */
export function parseExpression(text: string): Expr {
  const statements = splitStatements(text, tokenize(text));
  if (statements.length === 0) throw new DeriveError("empty input: expected an expression");
  if (statements.length > 1) {
    const second = statements[1]!.tokens[0]!;
    throw errorAt(text, second, `expected a single expression, but a second statement starts here`);
  }
  const statement = parseStatement(text, statements[0]!);
  if (statement.type === "declare") throw errorAt(text, statement.name, `expected an expression, not a declaration of ${statement.name.text}`);
  if (statement.type !== "expression") {
    throw errorAt(text, statement.name, `expected an expression, not a definition of ${statement.name.text}`);
  }
  return buildExpr(statement.expr, { text, functions: new Map(), values: new Set(), params: new Set(), variables: new Map() });
}

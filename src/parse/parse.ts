/**
 * Parsing one statement's tokens with the compiled nearley grammar, and turning a failed parse
 * into a readable DeriveError: what was found, and what the grammar expected there (read from
 * nearley's parse table at the failing token, in words people know).
 */
import nearley from "nearley";
import compiled from "./generated/grammar.js";
import { DeriveError } from "../errors.js";
import { TokenStream, type Token, type TokenType } from "./lexer.js";
import { sourceDetail } from "./source.js";
import type { StatementTokens } from "./statements.js";
import type { Statement } from "./syntax.js";

const grammar = nearley.Grammar.fromCompiled(compiled as unknown as nearley.CompiledRules);

/** The parts of nearley's Parser the error reporting reads (not in its type declarations). */
interface EarleyState {
  readonly rule: { readonly name: string; readonly symbols: readonly unknown[] };
  readonly dot: number;
  readonly reference: number;
}
interface ParserInternals {
  table: Array<{ states: EarleyState[] } | undefined>;
  current: number;
  reportError: (token: unknown) => string;
  reportLexerError: (error: unknown) => string;
}

function internals(parser: nearley.Parser): ParserInternals {
  return parser as unknown as ParserInternals;
}

/** A parser over one statement's tokens. */
function newParser(tokens: readonly Token[]): nearley.Parser {
  const parser = new nearley.Parser(grammar, { lexer: new TokenStream(tokens) });
  // nearley builds a long explanation for errors (walking state stacks, which is slow and
  // recursive on deeply nested input); we write our own, so skip it.
  internals(parser).reportError = () => "syntax error";
  internals(parser).reportLexerError = () => "syntax error";
  return parser;
}

/** Every parse of one statement's tokens (tests check that there is never more than one). */
export function parseAll(tokens: readonly Token[]): Statement[] {
  const parser = newParser(tokens);
  parser.feed("");
  return parser.results as Statement[];
}

/** Parses one statement; throws a DeriveError pointing at the first token that cannot continue it. */
export function parseStatement(text: string, statement: StatementTokens): Statement {
  const parser = newParser(statement.tokens);
  try {
    parser.feed("");
  } catch (err) {
    const e = err as { token?: unknown; offset?: unknown };
    if (e.token === undefined || typeof e.offset !== "number") throw err;
    // `offset` is the index of the offending token; the table column of that index holds the
    // states that were waiting for it
    throw syntaxError(text, statement, e.offset, internals(parser).table[e.offset]?.states ?? []);
  }
  const results = parser.results as Statement[];
  if (results.length === 0) {
    const table = internals(parser).table;
    throw syntaxError(text, statement, statement.tokens.length, table[table.length - 1]?.states ?? []);
  }
  if (results.length > 1) throw new Error(`internal: the grammar is ambiguous (${results.length} parses)`);
  return results[0]!;
}

/** Readable names of token types, in the order they are listed in messages. */
const READABLE: ReadonlyArray<[TokenType, string]> = [
  ["number", "a number"],
  ["name", "a name"],
  ["fname", "a name"],
  ["lparen", '"("'],
  ["lbracket", '"["'],
  ["minus", '"-"'],
  ["plus", '"+"'],
  ["times", '"*"'],
  ["divide", '"/"'],
  ["power", '"^"'],
  ["sup", "a superscript"],
  ["rparen", '")"'],
  ["rbracket", '"]"'],
  ["comma", '","'],
  ["equals", '"="'],
];
const OPERATORS: ReadonlySet<string> = new Set(["plus", "minus", "times", "divide", "power", "sup"]);

function expectedTypes(states: readonly EarleyState[]): Set<string> {
  const types = new Set<string>();
  for (const s of states) {
    const next = s.rule.symbols[s.dot];
    if (next && typeof next === "object" && "type" in next) types.add(String((next as { type: string }).type));
  }
  return types;
}

function canEnd(states: readonly EarleyState[]): boolean {
  return states.some((s) => s.rule.name === grammar.start && s.reference === 0 && s.dot === s.rule.symbols.length);
}

/** `a, b or c` */
function listWords(words: readonly string[]): string {
  if (words.length <= 1) return words.join("");
  return `${words.slice(0, -1).join(", ")} or ${words[words.length - 1]}`;
}

function describeExpected(states: readonly EarleyState[]): string {
  const types = expectedTypes(states);
  const words: string[] = [];
  // after an operand every operator fits: say so once instead of listing them
  const operatorPosition = types.has("plus");
  if (operatorPosition) words.push("an operator");
  for (const [type, word] of READABLE) {
    if (!types.has(type) || (operatorPosition && OPERATORS.has(type))) continue;
    if (!words.includes(word)) words.push(word);
  }
  if (canEnd(states)) words.push("the end of the statement");
  return words.length > 0 ? `; expected ${listWords(words)}` : "";
}

function describeToken(t: Token): string {
  switch (t.type) {
    case "number":
      return `number ${t.text}`;
    case "name":
    case "fname":
      return `name ${JSON.stringify(t.text)}`;
    case "newline":
      return "end of line";
    default:
      return JSON.stringify(t.text);
  }
}

const OPENERS: ReadonlySet<TokenType> = new Set<TokenType>(["lparen", "lbracket"]);
const CLOSERS: ReadonlySet<TokenType> = new Set<TokenType>(["rparen", "rbracket"]);

/** The innermost bracket still open before token `index`, if any. */
function unclosedBracket(tokens: readonly Token[], index: number): Token | undefined {
  const stack: Token[] = [];
  for (let i = 0; i < index && i < tokens.length; i++) {
    const t = tokens[i]!;
    if (OPENERS.has(t.type)) stack.push(t);
    else if (CLOSERS.has(t.type)) stack.pop();
  }
  return stack[stack.length - 1];
}

function syntaxError(text: string, st: StatementTokens, index: number, states: readonly EarleyState[]): DeriveError {
  const { tokens } = st;
  const found = tokens[index];
  let what: string;
  let at: { offset: number; line: number; column: number; width: number };
  if (found) {
    what = describeToken(found);
    at = found;
  } else if (st.terminator) {
    what = describeToken(st.terminator);
    at = { ...st.terminator, width: 1 };
  } else {
    what = "end of input";
    const last = tokens[tokens.length - 1];
    at = last
      ? { offset: last.offset + last.text.length, line: last.line, column: last.column + last.width, width: 1 }
      : { offset: text.length, line: 1, column: 1, width: 1 };
  }
  let message = `line ${at.line}, column ${at.column}: unexpected ${what}${describeExpected(states)}`;
  const open = unclosedBracket(tokens, index);
  if (open && open.line < at.line) message += ` (the "${open.text}" on line ${open.line}, column ${open.column} is not closed)`;
  else if (found?.type === "equals") message += ' (only a name or f(x, …) can stand left of "=", at the start of a statement)';
  const position = { line: at.line, column: at.column };
  return new DeriveError(message, position, sourceDetail(text, at.offset, position, at.width));
}

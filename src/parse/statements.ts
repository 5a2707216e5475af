/**
 * Splitting a program into statements before parsing, so each parse is small: statements end at
 * ";" or at a line break, except inside parentheses/brackets and after a trailing binary
 * operator, "=" or ",". Whitespace and comments are dropped here; names directly followed by
 * "(" are marked as `fname` (an application or a function definition) so the grammar needs no
 * lookahead to tell `f(x)` from `x (y)`.
 */
import { DeriveError } from "../errors.js";
import type { Token, TokenType } from "./lexer.js";
import { MAX_NESTING, MAX_STATEMENT_TOKENS } from "./limits.js";
import { sourceDetail } from "./source.js";

export interface StatementTokens {
  /** The statement's significant tokens (no whitespace, comments or line breaks). */
  readonly tokens: Token[];
  /** The ";" or line break that ended it, or null at the end of the input. */
  readonly terminator: Token | null;
}

/** Tokens after which a line break does not end the statement (after Σ_{i=1}^{n} its body follows). */
const CONTINUES: ReadonlySet<TokenType> = new Set<TokenType>(["plus", "minus", "times", "divide", "power", "equals", "comma", "bigsum"]);

export function splitStatements(text: string, tokens: readonly Token[]): StatementTokens[] {
  const out: StatementTokens[] = [];
  let current: Token[] = [];
  let depth = 0;
  const finish = (terminator: Token | null): void => {
    if (current.length > 0) out.push({ tokens: current, terminator });
    current = [];
    depth = 0;
  };
  for (const t of tokens) {
    switch (t.type) {
      case "ws":
      case "comment":
        continue;
      case "newline": {
        const last = current[current.length - 1];
        if (depth > 0 || (last && CONTINUES.has(last.type))) continue;
        finish(t);
        continue;
      }
      case "semicolon":
        if (depth === 0) {
          finish(t);
          continue;
        }
        break; // inside brackets: left for the parser to reject
      case "lparen":
      case "lbracket": {
        depth++;
        if (depth > MAX_NESTING) {
          throw new DeriveError(
            `line ${t.line}, column ${t.column}: too deeply nested: more than ${MAX_NESTING} levels of parentheses and brackets`,
            { line: t.line, column: t.column },
            sourceDetail(text, t.offset, t, t.width),
          );
        }
        const last = current[current.length - 1];
        if (t.type === "lparen" && last && last.type === "name") current[current.length - 1] = { ...last, type: "fname" };
        break;
      }
      case "rparen":
      case "rbracket":
        if (depth > 0) depth--;
        break;
      default:
        break;
    }
    current.push(t);
    if (current.length > MAX_STATEMENT_TOKENS) {
      const first = current[0]!;
      throw new DeriveError(
        `line ${first.line}, column ${first.column}: statement too long: more than ${MAX_STATEMENT_TOKENS} tokens (split it into several definitions)`,
        { line: first.line, column: first.column },
        sourceDetail(text, first.offset, first, first.width),
      );
    }
  }
  finish(null);
  return out;
}

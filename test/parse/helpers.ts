/** Shared helpers of the parser tests. */
import { expect } from "vitest";
import { DeriveError } from "../../src/errors.js";
import { tokenize } from "../../src/parse/lexer.js";
import { parseAll } from "../../src/parse/parse.js";
import { splitStatements } from "../../src/parse/statements.js";

/** Number of parses nearley finds for a one-statement input (the grammar must be unambiguous). */
export function parseCount(text: string): number {
  const statements = splitStatements(text, tokenize(text));
  expect(statements).toHaveLength(1);
  return parseAll(statements[0]!.tokens).length;
}

/** The DeriveError `work` throws (fails the test if it throws anything else or nothing). */
export function deriveError(work: () => unknown): DeriveError {
  try {
    work();
  } catch (err) {
    if (err instanceof DeriveError) return err;
    throw new Error(`expected a DeriveError, got ${String(err)}`);
  }
  throw new Error("expected a DeriveError, but nothing was thrown");
}

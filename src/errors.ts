/**
 * The one error type users see. Everything a user can get wrong (syntax, unknown names, shapes,
 * missing values) throws a DeriveError with a message meant to be read by a person; anything
 * else escaping is a bug. The CLI prints `error: <message>` and exits 2.
 */
export interface SourcePosition {
  /** 1-based line in the input. */
  readonly line: number;
  /** 1-based column (in code points) in that line. */
  readonly column: number;
}

export class DeriveError extends Error {
  override readonly name = "DeriveError";
  constructor(
    message: string,
    /** Where in the input the problem is, when it has a place. */
    readonly position?: SourcePosition,
    /** Further detail for people, printed under the message (e.g. the source line and a caret). */
    readonly detail?: string,
  ) {
    super(message);
  }
}

/** Runs `work`, turning a JavaScript stack overflow into a readable DeriveError. */
export function guardDepth<T>(what: string, work: () => T): T {
  try {
    return work();
  } catch (err) {
    if (err instanceof RangeError && /call stack/i.test(err.message)) {
      throw new DeriveError(`${what}: the expression is nested too deeply to process`);
    }
    throw err;
  }
}

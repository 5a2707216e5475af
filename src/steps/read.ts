/**
 * Reading a step back: a line of a derivation's text with the program's definitions in scope.
 *
 * The parser reads `d/dx(u)` as the derivative of u with every name in u held constant (in a
 * program too: `f = σ(w x); d/dw(f)` parses as 0), which is right for a single formula but not
 * for a trace through definitions, where `2*d/dw(f)*(f - y)` means the derivative of f's
 * definition. This reader gives a step the meaning a student gives it, the same as `derive check`
 * with the definitions given: a defined name stands for its definition, and `d/dx(u)` is the
 * derivative of u through the definitions, holding x fixed when x is itself a defined name
 * (∂L/∂f_in in L's terms). The operand is the parenthesised group right after `d/dx`, as the
 * parser reads it.
 *
 * It belongs in the parser once programs differentiate through their definitions; until then it
 * lives here, built on the parser (each operand and the rest of the line are parsed by it).
 */
import { substitute, sym, type Expr } from "../ast/index.js";
import { differentiate } from "../diff/index.js";
import { DeriveError } from "../errors.js";
import { canonicalName, parseProgram } from "../parse/index.js";
import { inline, valueDefinitions, type Program } from "../program/index.js";

/** `d/dx(` as the step printers write it (canonical names), not preceded by a name character. */
const OPERATOR = /(?<![\p{L}\p{M}\p{Nd}_])d\/d([\p{L}][\p{L}\p{M}\p{Nd}_]*)\(/u;
const HOLE = "zzstep";

/** Index of the parenthesis closing the one at `open`. */
function closing(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === "(") depth++;
    else if (text[i] === ")" && --depth === 0) return i;
  }
  throw new DeriveError(`unbalanced parentheses after ${text.slice(0, open)}`);
}

class StepReader {
  private holes = 0;
  private readonly context: Program;

  constructor(private readonly definitions: readonly string[]) {
    this.context = parseProgram([...definitions, "0"].join("\n"));
  }

  private parse(text: string): Expr {
    return parseProgram([...this.definitions, text].join("\n")).target;
  }

  /** The value of `text` with the names of `keep` left standing, every other defined name inlined. */
  read(text: string, keep: ReadonlySet<string>): Expr {
    const values = new Map<Expr, Expr>();
    let rest = text;
    for (let m = OPERATOR.exec(rest); m; m = OPERATOR.exec(rest)) {
      const open = m.index + m[0].length - 1;
      const end = closing(rest, open);
      const wrt = canonicalName(m[1]!);
      const inner = new Set([...keep, ...(valueDefinitions(this.context).has(wrt) ? [wrt] : [])]);
      const operand = this.read(rest.slice(open + 1, end), inner);
      const hole = sym(`${HOLE}${++this.holes}`);
      values.set(hole, differentiate(operand, wrt));
      // the hole keeps the operator's place as one factor: `2*d/dw(f)*(f - y)` → `2*(zzstep1)*(f - y)`
      rest = `${rest.slice(0, m.index)}(${hole.name})${rest.slice(end + 1)}`;
    }
    const parsed = substitute(this.parse(rest), values);
    return inline(this.context, parsed, keep);
  }
}

/**
 * The value of one step's text (a side of a line) in the program's inputs, with `definitions`
 * (`name = body` lines, as in the JSON's `definitions`) in scope.
 */
export function readStep(text: string, definitions: readonly string[] = []): Expr {
  return new StepReader(definitions).read(text, new Set());
}

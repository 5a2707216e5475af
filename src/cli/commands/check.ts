import type { CommandSpec } from "../command.js";
import { stringOption } from "../command.js";
import { checkDocument, checkInput, checkReportHtml, type CheckReport, type StepReport } from "../../verify/index.js";
import { jsonNumber } from "../io.js";

const LABEL: Record<StepReport["verdict"], string> = { valid: "valid", invalid: "INVALID", unknown: "unknown" };
const num = (v: number): string => (Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(10))));

function textReport(report: CheckReport): string {
  const lines: string[] = [];
  for (const s of report.steps) {
    lines.push(`line ${s.line}: ${LABEL[s.verdict]}: ${s.claim}`);
    lines.push(`  ${s.reason}`);
    if (s.counterexample && Object.keys(s.counterexample).length > 0) {
      const at = Object.entries(s.counterexample).map(([k, v]) => `${k} = ${num(v)}`).join(", ");
      lines.push(`  at ${at}: left side ${num(s.lhs!)}, right side ${num(s.rhs!)}`);
    }
    if (s.expected) lines.push(`  expected: ${s.expected}`);
  }
  const count = (v: StepReport["verdict"]): number => report.steps.filter((s) => s.verdict === v).length;
  const first = report.steps.find((s) => s.verdict === "invalid");
  lines.push(
    report.steps.length === 0
      ? "nothing to check: no claims found"
      : `${count("valid")} valid, ${count("invalid")} invalid, ${count("unknown")} unknown` + (first ? `; the first wrong step is on line ${first.line}` : ""),
  );
  return lines.join("\n");
}

export const checkCommand: CommandSpec = {
  name: "check",
  summary: "check a claim, a derivation or a whole Markdown/LaTeX file: find the first wrong step and say why",
  examples: [
    'derive check "d/dx sigmoid(x) = sigmoid(x)*(1 - sigmoid(x))"',
    'derive check "∂/∂w12 (b2 + w12*x1 + w22*x2) = x1"',
    'derive check "sigmoid(w1*x) = 0.539294" --given "w1=0.25, x=0.63"',
    "derive check --file solution.md --format json",
    'derive check "∇f(6, 6) = (-6, 6)" --given "f(x1, x2) = (x1 - 6)^2 + x2^2 - x1*x2"',
    "derive check --file solution.md --format html > report.html",
    'derive check "d/dW ||W X - Y||^2 = 2*(W X - Y)*X^T" --given "W: matrix; X: matrix; Y: matrix"',
  ],
  options: [{ flags: "--given <context>", description: "values, definitions and matrix declarations the claims may use, e.g. \"w1=0.25, x=0.63\", \"f = sigmoid(z)\" or \"W: matrix; x: vector\"" }],
  formats: ["text", "json", "html"],
  run(input, options) {
    const given = stringOption(options, "given");
    const file = stringOption(options, "file");
    const report = file !== undefined && /\.(md|markdown|tex|latex)$/i.test(file)
      ? checkDocument(input, { given, kind: /\.(tex|latex)$/i.test(file) ? "tex" : "markdown" })
      : checkInput(input, { given });
    const json = {
      valid: report.valid,
      // display (the LaTeX for the HTML page) is not part of the JSON contract
      steps: report.steps.map(({ display: _display, ...s }) => ({
        ...s,
        ...(s.lhs !== undefined ? { lhs: jsonNumber(s.lhs) } : {}),
        ...(s.rhs !== undefined ? { rhs: jsonNumber(s.rhs) } : {}),
      })),
    };
    const text = textReport(report);
    const source = file ?? (input.includes("\n") ? "claims" : input.trim());
    return {
      json,
      text,
      latex: text,
      // a getter: the page (KaTeX CSS and fonts inlined) is built only when --format html asks for it
      get html() {
        return checkReportHtml(report, source);
      },
      exitCode: report.steps.some((s) => s.verdict === "invalid") ? 1 : 0,
    };
  },
};

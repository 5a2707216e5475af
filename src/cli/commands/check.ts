import type { CommandSpec } from "../command.js";
import { stringOption } from "../command.js";
import { checkDocument, checkInput, type CheckReport, type StepReport } from "../../verify/index.js";
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

const escape = (s: string): string => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

function htmlReport(report: CheckReport): string {
  const rows = report.steps
    .map((s) => {
      const details = [escape(s.reason)];
      if (s.counterexample && Object.keys(s.counterexample).length > 0) {
        details.push(`at ${escape(Object.entries(s.counterexample).map(([k, v]) => `${k} = ${num(v)}`).join(", "))}: left ${num(s.lhs!)}, right ${num(s.rhs!)}`);
      }
      if (s.expected) details.push(`expected: <code>${escape(s.expected)}</code>`);
      return `<tr class="${s.verdict}"><td>${s.line}</td><td><code>${escape(s.claim)}</code></td><td>${s.verdict}</td><td>${details.join("<br>")}</td></tr>`;
    })
    .join("\n");
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>derive check</title>
<style>body{font-family:system-ui,sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.3em .6em;vertical-align:top;text-align:left}
tr.valid td:nth-child(3){color:#176e2c}tr.invalid td:nth-child(3){color:#b00020;font-weight:bold}tr.unknown td:nth-child(3){color:#8a6d00}</style></head>
<body><h1>derive check: ${report.valid ? "all steps valid" : report.steps.some((s) => s.verdict === "invalid") ? "a step is invalid" : "some steps could not be decided"}</h1>
<table><thead><tr><th>line</th><th>claim</th><th>verdict</th><th>why</th></tr></thead>
<tbody>
${rows}
</tbody></table></body></html>`;
}

export const checkCommand: CommandSpec = {
  name: "check",
  summary: "check a claim, a derivation or a whole Markdown/LaTeX file: find the first wrong step and say why",
  examples: [
    'derive check "d/dx sigmoid(x) = sigmoid(x)*(1 - sigmoid(x))"',
    'derive check "∂/∂w12 (b2 + w12*x1 + w22*x2) = x1"',
    'derive check "sigmoid(w1*x) = 0.539294" --given "w1=0.25, x=0.63"',
    "derive check --file solution.md --format json",
  ],
  options: [{ flags: "--given <context>", description: "values and definitions the claims may use, e.g. \"w1=0.25, x=0.63\" or \"f = sigmoid(z)\"" }],
  formats: ["text", "json", "html"],
  run(input, options) {
    const given = stringOption(options, "given");
    const file = stringOption(options, "file");
    const report = file !== undefined && /\.(md|markdown|tex|latex)$/i.test(file)
      ? checkDocument(input, { given, kind: /\.(tex|latex)$/i.test(file) ? "tex" : "markdown" })
      : checkInput(input, { given });
    const json = {
      valid: report.valid,
      steps: report.steps.map((s) => ({
        ...s,
        ...(s.lhs !== undefined ? { lhs: jsonNumber(s.lhs) } : {}),
        ...(s.rhs !== undefined ? { rhs: jsonNumber(s.rhs) } : {}),
      })),
    };
    const text = textReport(report);
    return { json, text, latex: text, html: htmlReport(report), exitCode: report.steps.some((s) => s.verdict === "invalid") ? 1 : 0 };
  },
};

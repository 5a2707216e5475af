/** How a gradient check is written (scalar and matrix programs alike): JSON, a text line per component, a LaTeX table. */
import type { FdCheckResult, FdComponent } from "../../numeric/fdcheck.js";
import { jsonNumber, type Output } from "../io.js";

/**
 * The output of a gradient check in every format; `extra` adds JSON fields to a component (after
 * its name), `label` is its LaTeX name in the table.
 */
export function fdcheckOutput<C extends FdComponent>(
  result: FdCheckResult<C>,
  extra: (c: C) => Record<string, unknown>,
  label: (c: C) => string,
): Output {
  const json = {
    value: jsonNumber(result.value),
    epsilon: result.epsilon,
    tolerance: result.tolerance,
    components: result.components.map((c) => ({
      name: c.name,
      ...extra(c),
      analytic: jsonNumber(c.analytic),
      numeric: jsonNumber(c.numeric),
      abs: jsonNumber(c.absError),
      rel: jsonNumber(c.relError),
      pass: c.pass,
    })),
    pass: result.pass,
  };
  const fmt = (v: number): string => v.toPrecision(6);
  const text = [
    ...result.components.map((c) => `${c.name}: analytic ${c.analytic}, numeric ${c.numeric}, abs ${fmt(c.absError)}, rel ${fmt(c.relError)} ${c.pass ? "ok" : "FAIL"}`),
    result.pass ? "pass" : "FAIL",
  ].join("\n");
  const latex = `\\begin{array}{l|r|r|r|r} & \\text{analytic} & \\text{numeric} & \\text{abs} & \\text{rel} \\\\ \\hline ${result.components
    .map((c) => `${label(c)} & ${c.analytic} & ${c.numeric} & ${fmt(c.absError)} & ${fmt(c.relError)} \\\\`)
    .join(" ")} \\end{array}`;
  return { json, text, latex };
}

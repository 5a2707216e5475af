/**
 * Data for training and checks: columns given inline (`x1=0,1,0,-1,0;x2=0,0,-1,0,1;y=1,0,0,0,0`),
 * in a CSV file (a header row of names, then one row per data point, comma-separated), or in a
 * JSON file (`{"x1": [...], ...}` columns or `[{"x1": 0, ...}, ...]` rows). Names are normalised
 * the way the parser normalises identifiers (`x_1` is x1). Grids: `x1=-2:2:0.04,x2=-2:2:0.04`.
 */
import { readFileSync } from "node:fs";
import { Q } from "../ast/index.js";
import { DeriveError } from "../errors.js";
import { canonicalName, NameError } from "../parse/names.js";
import { constantValue } from "./descent.js";
import { isExact, toNumber } from "./exact.js";
import type { GridAxis } from "./train.js";

export interface DataSet {
  readonly names: string[];
  readonly columns: Record<string, Float64Array>;
  readonly rows: number;
}

function name(raw: string, where: string): string {
  try {
    return canonicalName(raw.trim());
  } catch (err) {
    if (err instanceof NameError) throw new DeriveError(`${where}: ${err.message}`);
    throw err;
  }
}

function numberOf(text: string, where: string): number {
  const t = text.trim();
  if (t === "") throw new DeriveError(`${where}: empty value`);
  const n = Number(t);
  if (Number.isFinite(n)) return n;
  const v = toNumber(constantValue(t, where));
  if (!Number.isFinite(v)) throw new DeriveError(`${where}: "${t}" is not a finite number`);
  return v;
}

function fromColumns(entries: Array<[string, number[]]>, where: string): DataSet {
  const columns: Record<string, Float64Array> = Object.create(null) as Record<string, Float64Array>;
  const names: string[] = [];
  let rows = -1;
  for (const [raw, values] of entries) {
    const n = name(raw, where);
    if (names.includes(n)) throw new DeriveError(`${where}: column ${n} is given twice`);
    if (rows >= 0 && values.length !== rows) throw new DeriveError(`${where}: columns differ in length (${names[0]} has ${rows} values, ${n} has ${values.length})`);
    rows = values.length;
    names.push(n);
    columns[n] = Float64Array.from(values);
  }
  if (names.length === 0) throw new DeriveError(`${where}: no data columns`);
  return { names, columns, rows };
}

/** `x1=0,1,0;x2=…`: columns separated by semicolons. */
export function parseInlineData(text: string): DataSet {
  const entries = text
    .split(";")
    .map((p) => p.trim())
    .filter((p) => p.length > 0)
    .map((part): [string, number[]] => {
      const eq = part.indexOf("=");
      if (eq <= 0) throw new DeriveError(`--data expects name=v1,v2,… columns separated by ";", got "${part}"`);
      const n = part.slice(0, eq);
      return [n, part.slice(eq + 1).split(",").map((v) => numberOf(v, `--data ${n.trim()}`))];
    });
  return fromColumns(entries, "--data");
}

export function parseCsv(text: string, where: string): DataSet {
  const lines = text.split(/\r?\n/).filter((l) => l.trim().length > 0 && !l.trim().startsWith("#"));
  if (lines.length === 0) throw new DeriveError(`${where}: empty file`);
  const header = lines[0]!.split(",").map((h) => h.trim().replace(/^"(.*)"$/, "$1"));
  const values: number[][] = header.map(() => []);
  lines.slice(1).forEach((line, r) => {
    const cells = line.split(",");
    if (cells.length !== header.length) throw new DeriveError(`${where}: line ${r + 2} has ${cells.length} values, the header names ${header.length}`);
    cells.forEach((c, j) => values[j]!.push(numberOf(c, `${where} line ${r + 2}`)));
  });
  return fromColumns(header.map((h, j) => [h, values[j]!]), where);
}

export function parseJsonData(text: string, where: string): DataSet {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new DeriveError(`${where}: not valid JSON (${(err as Error).message})`);
  }
  const num = (v: unknown, at: string): number => {
    if (typeof v === "number" && Number.isFinite(v)) return v;
    throw new DeriveError(`${where}: ${at} is not a finite number`);
  };
  if (Array.isArray(data)) {
    if (data.length === 0) throw new DeriveError(`${where}: no rows`);
    const keys = Object.keys(data[0] as object);
    return fromColumns(
      keys.map((k) => [k, data.map((row: unknown, i) => num((row as Record<string, unknown>)?.[k], `row ${i + 1}, ${k}`))]),
      where,
    );
  }
  if (data && typeof data === "object") {
    return fromColumns(
      Object.entries(data as Record<string, unknown>).map(([k, col]) => {
        if (!Array.isArray(col)) throw new DeriveError(`${where}: column ${k} is not an array`);
        return [k, col.map((v, i) => num(v, `${k}[${i}]`))];
      }),
      where,
    );
  }
  throw new DeriveError(`${where}: expected an object of columns or an array of rows`);
}

/** `--data`: inline columns (it contains "="), or a .json or CSV file. */
export function loadData(spec: string): DataSet {
  if (spec.includes("=")) return parseInlineData(spec);
  let text: string;
  try {
    text = readFileSync(spec, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new DeriveError(`cannot read data file ${spec}: ${code === "ENOENT" ? "no such file" : code ?? String(err)}`);
  }
  return /\.json$/i.test(spec) ? parseJsonData(text, spec) : parseCsv(text, spec);
}

/** `x1=-2:2:0.04,x2=…`: start:stop:step per variable, both ends included (computed exactly when rational). */
export function parseGrid(spec: string, maxPoints = 1_000_000): GridAxis[] {
  const axes: GridAxis[] = [];
  for (const part of spec.split(",").map((p) => p.trim()).filter((p) => p.length > 0)) {
    const eq = part.indexOf("=");
    if (eq <= 0) throw new DeriveError(`--grid expects name=start:stop:step, got "${part}"`);
    const n = name(part.slice(0, eq), "--grid");
    const pieces = part.slice(eq + 1).split(":");
    if (pieces.length !== 3) throw new DeriveError(`--grid ${n}: expected start:stop:step, got "${part.slice(eq + 1)}"`);
    const [start, stop, step] = pieces.map((p) => constantValue(p.trim(), `--grid ${n}`)) as [ReturnType<typeof constantValue>, ReturnType<typeof constantValue>, ReturnType<typeof constantValue>];
    if (!(toNumber(step) > 0)) throw new DeriveError(`--grid ${n}: the step must be positive`);
    if (toNumber(stop) < toNumber(start)) throw new DeriveError(`--grid ${n}: stop is below start`);
    let count: number;
    const values: number[] = [];
    if (isExact(start) && isExact(stop) && isExact(step)) {
      const q = Q.div(Q.sub(stop, start), step);
      count = Number(q.n / q.d) + 1;
      if (count > maxPoints) throw new DeriveError(`--grid ${n}: ${count} points is too many`);
      for (let k = 0; k < count; k++) values.push(Q.toNumber(Q.add(start, Q.mul(step, Q.rational(BigInt(k))))));
    } else {
      const a = toNumber(start), b = toNumber(stop), h = toNumber(step);
      count = Math.floor((b - a) / h + 1e-9) + 1;
      if (count > maxPoints) throw new DeriveError(`--grid ${n}: ${count} points is too many`);
      for (let k = 0; k < count; k++) values.push(a + k * h);
    }
    if (axes.some((a) => a.name === n)) throw new DeriveError(`--grid gives ${n} twice`);
    axes.push({ name: n, values });
  }
  if (axes.length === 0) throw new DeriveError("--grid names no variable");
  return axes;
}

/** Spawns the real `derive` binary (built by `npm run build`, which `npm test` runs first). */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

export const BIN = fileURLToPath(new URL("../../bin/derive.js", import.meta.url));

export interface CliResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function derive(args: readonly string[], options: { input?: string; cwd?: string } = {}): CliResult {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    input: options.input,
    cwd: options.cwd,
    encoding: "utf8",
    timeout: 60_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs derive with --format json and parses stdout. */
export function deriveJson(args: readonly string[], options: { input?: string } = {}): { status: number | null; json: unknown; stderr: string } {
  const r = derive([...args, "--format", "json"], options);
  return { status: r.status, json: r.stdout.trim() ? JSON.parse(r.stdout) : undefined, stderr: r.stderr };
}

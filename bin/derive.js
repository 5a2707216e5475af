#!/usr/bin/env node
// The derive command. Runs the built library (npm ci builds it through `prepare`).
import { readFileSync } from "node:fs";

let cli;
try {
  cli = await import("../dist/cli/main.js");
} catch (err) {
  process.stderr.write(`error: derive is not built (${err.code ?? err.message}); run \`npm run build\` in ${new URL("..", import.meta.url).pathname}\n`);
  process.exit(2);
}
// A reader that stops early (`derive … | head`) closes the pipe: that is not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (err) => {
    if (err.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw err;
  });
}
const io = {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  readStdin: () => readFileSync(0, "utf8"),
};
process.exitCode = cli.run(process.argv.slice(2), io);

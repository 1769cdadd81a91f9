// `npm run bench -- <name|all> [flags]`: runs one benchmark script from scripts/bench/, or all of them
// (`all` or no name). Each prints its numbers as JSON, including its floor and ratio; docs/benchmarks.md
// records what was measured. `npm run bench -- all --quick` runs every benchmark at small scale (CI):
// the exit code is non-zero when a benchmark errors (crash, lost or duplicate work), never for timings.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const dir = path.join(import.meta.dirname, "bench");
const available = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith(".ts") && !f.startsWith("_"))
  .map((f) => f.replace(/\.ts$/, ""));
const args = process.argv.slice(2);
const name = args[0] && !args[0].startsWith("--") && args[0] !== "all" ? args[0] : undefined;
const rest = args[0] && !args[0].startsWith("--") ? args.slice(1) : args;
if (name && !available.includes(name)) {
  console.error(`Unknown benchmark "${name}". Available: ${available.join(", ")}`);
  process.exit(2);
}
const failed: string[] = [];
const started = Date.now();
for (const bench of name ? [name] : available) {
  console.error(`\n=== ${bench} ===`);
  const t = Date.now();
  const r = spawnSync(path.join(import.meta.dirname, "../node_modules/.bin/tsx"), [path.join(dir, `${bench}.ts`), ...rest], {
    stdio: "inherit",
  });
  if (r.status !== 0) failed.push(bench);
  console.error(`=== ${bench}: ${r.status === 0 ? "ok" : "FAILED"} in ${Math.round((Date.now() - t) / 1000)} s ===`);
}
console.error(`benchmarks: ${failed.length ? `failed: ${failed.join(", ")}` : "all ok"} (${Math.round((Date.now() - started) / 1000)} s)`);
process.exit(failed.length ? 1 : 0);

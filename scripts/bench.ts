// `npm run bench -- <name> [flags]`: runs one benchmark script from scripts/bench/ (all when no
// name is given). Each prints its numbers as JSON; docs/benchmarks.md records what was measured.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const dir = path.join(import.meta.dirname, "bench");
const available = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith(".ts") && !f.startsWith("_"))
  .map((f) => f.replace(/\.ts$/, ""));
const [name, ...rest] = process.argv.slice(2);
if (name && !available.includes(name)) {
  console.error(`Unknown benchmark "${name}". Available: ${available.join(", ")}`);
  process.exit(2);
}
let failed = false;
for (const bench of name ? [name] : available) {
  console.error(`\n=== ${bench} ===`);
  const r = spawnSync(path.join(import.meta.dirname, "../node_modules/.bin/tsx"), [path.join(dir, `${bench}.ts`), ...rest], {
    stdio: "inherit",
  });
  failed ||= r.status !== 0;
}
process.exit(failed ? 1 : 0);

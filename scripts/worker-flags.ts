// The Node flags the worker runs with, read from package.json's `worker` script (what `npm run
// worker`, the Procfile and the Docker image run), with its `${NAME:-default}` defaults expanded from
// the environment as sh would. The benchmarks and the sandbox start the app's processes through
// appNodeArgs, so what they run is what production runs (docs/benchmarks.md "Worker memory").
import { readFileSync } from "node:fs";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "..");

/**
 * The flags between `node` and `--import` in package.json's `worker` script, e.g.
 * ["--max-old-space-size=256"]; `env` supplies `${WORKER_MAX_OLD_SPACE_MB:-256}`-style values.
 * Throws when the script no longer has the `node … --import tsx app/jobs/worker.ts` shape.
 */
export function workerNodeFlags(env: Record<string, string | undefined> = process.env): string[] {
  const pkg = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> };
  const words = pkg.scripts.worker!.split(/\s+/);
  const node = words.indexOf("node");
  const imp = words.indexOf("--import");
  if (node < 0 || imp < node || !words.includes("app/jobs/worker.ts"))
    throw new Error(`package.json "worker" is not "… node <flags> --import tsx app/jobs/worker.ts": ${pkg.scripts.worker}`);
  return words.slice(node + 1, imp).map((w) => w.replace(/\$\{(\w+):-([^}]*)\}/g, (_, name: string, dflt: string) => env[name] || dflt));
}

/**
 * Node's arguments for one of the app's process scripts as production starts it (package.json
 * `start` / `worker`): one Node process with tsx loaded, the worker with workerNodeFlags first.
 */
export function appNodeArgs(script: string, env: Record<string, string | undefined> = process.env): string[] {
  const flags = script === "app/jobs/worker.ts" ? workerNodeFlags(env) : [];
  return [...flags, "--import", "tsx", script];
}

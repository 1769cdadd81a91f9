// `tsx test/support/reactions-probe.ts <web|worker|cli|sandbox>`: loads the modules that process
// kind loads — its entries and everything they import, statically or by a literal import(), closed
// over — without starting it, then emits every sample event (test/support/reaction-samples.ts) and
// prints, as JSON, the jobs that landed in Redis (under QUEUE_PREFIX). Run by
// test/integration/reactions-processes.test.ts, which compares the kinds.
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import ts from "typescript";
import { importsOf, ROOT } from "../../scripts/import-graph";

const rel = (...p: string[]) => path.join(ROOT, ...p);
const dirFiles = (dir: string, re: RegExp) =>
  fs
    .readdirSync(rel(dir))
    .filter((f) => re.test(f) && !/\.test\.tsx?$/.test(f))
    .map((f) => rel(dir, f));

/** What each process kind loads (docs/architecture.md "Processes"). */
const ENTRIES: Record<string, string[]> = {
  // The Remix server build: every route module, and the ingress in front of it.
  web: [rel("scripts/web.ts"), ...dirFiles("app/routes", /\.tsx?$/), rel("app/entry.server.tsx")],
  worker: [rel("app/jobs/worker.ts")],
  // scripts/cli.ts loads every command module by path.
  cli: [rel("scripts/cli.ts"), ...dirFiles("scripts/cli/commands", /\.ts$/)],
  // The sandbox's own process: seeding and webhook delivery (web and worker are child processes).
  sandbox: [rel("scripts/sandbox.ts")],
};
/** Entries that start the process when imported: their imports are loaded, they are not. */
const STARTS_ON_IMPORT = new Set([rel("scripts/cli.ts"), rel("scripts/sandbox.ts")]);

function closure(entries: string[]): string[] {
  const { config } = ts.readConfigFile(rel("tsconfig.json"), ts.sys.readFile);
  const options = ts.parseJsonConfigFileContent(config, ts.sys, ROOT).options;
  const seen = new Set<string>();
  const todo = [...entries];
  while (todo.length) {
    const file = todo.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const spec of importsOf(file)) {
      const r = ts.resolveModuleName(spec, file, options, ts.sys).resolvedModule;
      if (!r || r.isExternalLibraryImport || r.resolvedFileName.endsWith(".d.ts")) continue;
      const target = path.resolve(r.resolvedFileName);
      if (target.startsWith(ROOT) && !target.includes("node_modules")) todo.push(target);
    }
  }
  return [...seen].sort();
}

const kind = process.argv[2] ?? "";
if (!ENTRIES[kind]) throw new Error(`usage: reactions-probe.ts <${Object.keys(ENTRIES).join("|")}>`);
const files = closure(ENTRIES[kind]!);
// Components and route UIs (.tsx) need the Remix bundler (CSS imports); what they could register is
// covered by the import-graph test (no side-effect imports). Every .ts module is loaded.
const loaded = files.filter((f) => f.endsWith(".ts") && !STARTS_ON_IMPORT.has(f));
for (const f of loaded) await import(pathToFileURL(f).href);

const { emit } = await import("~/reactions.server");
const { queue, QUEUE_NAMES, closeQueues } = await import("~/adapters/queue/queues.server");
const { REACTION_SAMPLES } = await import("./reaction-samples");
for (const [i, s] of REACTION_SAMPLES.entries()) await emit(s.type, s.event as never, `probe-${i}`);
const jobs = new Set<string>();
// A batched reaction's job is per shop and second (its id ends in the window): printed without it.
for (const name of QUEUE_NAMES)
  for (const j of await queue(name).getJobs(["waiting", "delayed", "active", "completed", "failed"]))
    if (j) jobs.add(`${j.id}`.replace(/^(.+:pending:\d+):\d+$/, "$1"));
// … and the friends it will run: each pending set, as "friend-batch:<job>:<shopId> <ids>".
const redis = queue("inbound").client;
const prefix = `${process.env.QUEUE_PREFIX}:`;
for (const key of await redis.keys(`${prefix}friend-batch:*`)) {
  const ids = (await redis.zrange(key, 0, -1)).map(Number).sort((a, b) => a - b);
  jobs.add(`${key.slice(prefix.length)} ${ids.join(",")}`);
}
await closeQueues();
process.stdout.write(`${JSON.stringify({ kind, modules: loaded.length, jobs: [...jobs].sort() })}\n`);
process.exit(0);

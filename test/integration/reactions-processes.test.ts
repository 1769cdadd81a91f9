// Every process kind gets the same reactions (issue 13): web, worker, CLI and sandbox each load the
// modules they load in production (test/support/reactions-probe.ts, a child process per kind, with
// its own Redis key prefix), emit every event, and the jobs that land in Redis must be the same —
// and exactly what app/reactions.server.ts declares. A reaction registered by importing a module,
// or an emit that behaves differently depending on what was loaded, makes one kind differ.
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { REACTIONS, reactionsTo } from "~/reactions.server";
import { REACTION_SAMPLES } from "../support/reaction-samples";

const ROOT = path.resolve(import.meta.dirname, "../..");
const run = promisify(execFile);
const KINDS = ["web", "worker", "cli", "sandbox"] as const;

async function probe(kind: string): Promise<{ kind: string; modules: number; jobs: string[] }> {
  // Four children load ~300 modules each through tsx: minutes on a loaded 2-core machine.
  const { stdout } = await run(
    process.execPath,
    [path.join(ROOT, "node_modules/tsx/dist/cli.mjs"), "test/support/reactions-probe.ts", kind],
    {
      cwd: ROOT,
      env: { ...process.env, QUEUE_PREFIX: `${process.env.QUEUE_PREFIX}-probe-${kind}`, LOG_LEVEL: "silent" },
      timeout: 270_000,
      maxBuffer: 16 * 1024 * 1024,
    },
  );
  return JSON.parse(stdout.trim().split("\n").pop()!);
}

describe("reactions in every process kind", () => {
  it("web, worker, CLI and sandbox enqueue the same jobs for the same events, as the map declares", async () => {
    // The samples' shop has no HubSpot/Klaviyo connection, so integration-only reactions are skipped
    // in every kind alike (the gating itself: reactions.test.ts).
    // A batched reaction lands as the shop's pending job and its friends in the pending set (the
    // probe prints both without the job id's window).
    const expectedJobs = new Set<string>();
    const pending = new Map<string, Set<number>>();
    for (const [i, s] of REACTION_SAMPLES.entries())
      for (const r of reactionsTo(s.type, s.event as never, `probe-${i}`, { integrated: false })) {
        if (!r.batched) expectedJobs.add(r.jobId);
        else {
          const { shopId, friendIds } = r.data as { shopId: number; friendIds: number[] };
          expectedJobs.add(`${r.job}:pending:${shopId}`);
          const set = pending.get(`${r.job}:${shopId}`) ?? new Set<number>();
          for (const f of friendIds) set.add(f);
          pending.set(`${r.job}:${shopId}`, set);
        }
      }
    for (const [key, ids] of pending) expectedJobs.add(`friend-batch:${key} ${[...ids].sort((a, b) => a - b).join(",")}`);
    const expected = [...expectedJobs].sort();
    // Every reaction of the map fires for some sample.
    const fired = new Set(REACTION_SAMPLES.flatMap((s) => reactionsTo(s.type, s.event as never, "k").map((r) => `${s.type} → ${r.job}`)));
    const declared = new Set(Object.entries(REACTIONS).flatMap(([type, list]) => list.map((r) => `${type} → ${r.job}`)));
    expect([...fired].sort()).toEqual([...declared].sort());
    const results = await Promise.all(KINDS.map(probe));
    for (const r of results) {
      expect(r.modules, `${r.kind} loaded its modules`).toBeGreaterThan(20);
      expect(r.jobs, r.kind).toEqual(expected);
    }
  }, 300_000);
});

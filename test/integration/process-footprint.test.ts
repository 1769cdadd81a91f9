// What a process loads at start is memory it keeps (issue 14: the broadcast worker's 300 MB budget).
// The HubSpot and Klaviyo SDKs load when a shop with that integration first uses it, not in every
// web and worker process (`klaviyo-api` alone is ~70 MB of RSS; connections.server.ts CONNECTORS).
import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { workerNodeFlags } from "../../scripts/worker-flags";

const root = path.resolve(import.meta.dirname, "../..");
const SDKS = ["klaviyo-api", "@hubspot/api-client"];

function loadedBy(entry: string): string[] {
  const r = spawnSync(process.execPath, ["--import", "tsx", "test/support/loaded-packages.ts", entry, ...SDKS], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, LOG_LEVEL: "silent" },
    timeout: 60_000,
  });
  if (r.status !== 0) throw new Error(`probe failed (${r.status}): ${r.stderr}`);
  return (JSON.parse(r.stdout.trim().split("\n").pop()!) as { loaded: string[] }).loaded;
}

describe("process footprint", () => {
  it("the worker's jobs load no HubSpot / Klaviyo SDK until a connector is made", () => {
    expect(loadedBy("app/jobs/registry.server.ts")).toEqual([]);
  });
  it("the probe sees an SDK once its connector module is loaded (so the check above can fail)", () => {
    expect(loadedBy("app/adapters/klaviyo/connector.server.ts")).toEqual(["klaviyo-api"]);
  });
});

/** V8's heap ceiling (MB) of a Node process started with `flags`, as the worker would be. */
function heapLimitMb(flags: string[]): number {
  const r = spawnSync(process.execPath, [...flags, "-e", "console.log(require('v8').getHeapStatistics().heap_size_limit)"], {
    encoding: "utf8",
    timeout: 30_000,
  });
  if (r.status !== 0) throw new Error(`node failed (${r.status}): ${r.stderr}`);
  return Number(r.stdout.trim()) / 1048576;
}

describe("the worker's heap ceiling (broadcast at 1M recipients: worker ≤ 300 MB)", () => {
  it("`npm run worker` gives V8 an old-space ceiling of 256 MB by default (without one V8 allows gigabytes of garbage)", () => {
    const flags = workerNodeFlags({});
    expect(flags).toEqual(["--max-old-space-size=256"]);
    // heap_size_limit = old space + the young generation's semi-spaces.
    expect(heapLimitMb(flags)).toBeLessThan(320);
    expect(heapLimitMb([])).toBeGreaterThan(1000);
  });
  it("WORKER_MAX_OLD_SPACE_MB raises it for a deployment with more memory", () => {
    const flags = workerNodeFlags({ WORKER_MAX_OLD_SPACE_MB: "1024" });
    expect(flags).toEqual(["--max-old-space-size=1024"]);
    expect(heapLimitMb(flags)).toBeGreaterThan(1000);
  });
});

// What a process loads at start is memory it keeps (issue 14: the broadcast worker's 300 MB budget).
// The HubSpot and Klaviyo SDKs load when a shop with that integration first uses it, not in every
// web and worker process (`klaviyo-api` alone is ~70 MB of RSS; connections.server.ts CONNECTORS).
import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";

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

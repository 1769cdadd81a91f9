// Issue 9 item 17: as root, a clone in a 0700 directory (`/root/app`, `mktemp -d`) made embedded
// PostgreSQL die with `spawn …/initdb EACCES`: it runs as user postgres, which could reach neither
// the binaries in node_modules nor the data under DATA_DIR. This builds such a clone (the local-services
// code + a hard-linked node_modules inside a 0700 directory) and starts PostgreSQL from it, in a
// separate process, as `npm run sandbox` would. Only root is affected (elsewhere the server runs as
// the calling user), so the test runs as root — which is how CI and the sandbox run here.
import { execFileSync, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { canTraverse, reachableDataDir } from "~/adapters/infra/postgres-reach.server";

const repo = path.resolve(import.meta.dirname, "../..");
const isRoot = process.getuid?.() === 0;
const cleanup: string[] = [];
afterAll(() => {
  for (const dir of cleanup) fs.rmSync(dir, { recursive: true, force: true });
});

describe("canTraverse", () => {
  it("needs the execute bit that applies to the account on every directory down to the target", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "reach-"));
    cleanup.push(dir);
    fs.mkdirSync(path.join(dir, "a/b"), { recursive: true });
    fs.chmodSync(dir, 0o700);
    const other = { uid: 65534, gid: 65534, groups: [65534] };
    const owner = { uid: fs.statSync(dir).uid, gid: 12345, groups: [12345] };
    expect(canTraverse(path.join(dir, "a/b"), other)).toBe(false);
    expect(canTraverse(path.join(dir, "a/b"), owner)).toBe(true);
    expect(canTraverse(path.join(dir, "a/b/not-yet"), null)).toBe(false);
    fs.chmodSync(dir, 0o711);
    expect(canTraverse(path.join(dir, "a/b/not-yet"), other)).toBe(true);
  });

  it("moves a data directory to one stable place per requested directory", () => {
    expect(reachableDataDir("/root/app/.data/postgres")).toBe(reachableDataDir("/root/app/.data/postgres"));
    expect(reachableDataDir("/root/app/.data/postgres")).not.toBe(reachableDataDir("/root/other/.data/postgres"));
  });
});

describe.runIf(isRoot)("embedded PostgreSQL from a clone in a 0700 directory, as root", () => {
  /** A clone in a fresh 0700 directory: the local-services code and a hard-linked node_modules. */
  function makeClone(): string {
    const clone = fs.mkdtempSync(path.join(os.tmpdir(), "clone0700-")); // mkdtemp: mode 0700
    cleanup.push(clone);
    expect(fs.statSync(clone).mode & 0o777).toBe(0o700);
    execFileSync("cp", ["-al", path.join(repo, "node_modules"), path.join(clone, "node_modules")]);
    fs.mkdirSync(path.join(clone, "app/adapters"), { recursive: true });
    fs.cpSync(path.join(repo, "app/adapters/infra"), path.join(clone, "app/adapters/infra"), { recursive: true });
    fs.writeFileSync(
      path.join(clone, "start.mts"),
      `import { startEmbeddedPostgres } from "./app/adapters/infra/local-services.server.ts";
import pg from "pg";
const svc = await startEmbeddedPostgres({ dataDir: process.argv[2] });
const c = new pg.Client({ connectionString: svc.url });
await c.connect();
if (process.argv[3] === "write") await c.query("create table kept (v text); insert into kept values ('still here')");
const row = (await c.query("select current_user as user, (select v from kept) as kept")).rows[0];
console.log("RESULT " + JSON.stringify(row));
await c.end();
await svc.stop();
`,
    );
    return clone;
  }

  function run(clone: string, stage: string, mode: "write" | "read") {
    const r = spawnSync(path.join(clone, "node_modules/.bin/tsx"), ["start.mts", path.join(clone, ".data/postgres"), mode], {
      cwd: clone,
      env: { ...process.env, EMBEDDED_POSTGRES_HOME: stage, DATABASE_URL: "" },
      encoding: "utf8",
      timeout: 240_000,
    });
    const line = r.stdout.split("\n").find((l) => l.startsWith("RESULT "));
    expect(line, `${r.stdout}\n${r.stderr}`).toBeDefined();
    return JSON.parse(line!.slice("RESULT ".length)) as { user: string; kept: string };
  }

  it(
    "initialises, starts as user postgres, restarts on the same data, and survives the first clone's deletion",
    { timeout: 400_000 },
    () => {
      const stage = fs.mkdtempSync(path.join(os.tmpdir(), "pg-stage-"));
      cleanup.push(stage);
      fs.chmodSync(stage, 0o755);
      const first = makeClone();
      expect(run(first, stage, "write")).toEqual({ user: "postgres", kept: "still here" });
      expect(run(first, stage, "read")).toEqual({ user: "postgres", kept: "still here" });
      expect(fs.existsSync(path.join(reachableDataDir(path.join(first, ".data/postgres"), stage), "PG_VERSION"))).toBe(true);
      // The staged copy must not point back into the clone that made it (a deleted CI checkout did).
      fs.rmSync(first, { recursive: true, force: true });
      const second = makeClone();
      expect(run(second, stage, "write")).toEqual({ user: "postgres", kept: "still here" });
    },
  );
});

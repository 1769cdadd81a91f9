// The worker's database work at the worker's priority (issue 14: ≥ 500 webhooks/s with the worker
// running): the PostgreSQL backends serving a process that asked for it are reniced, when they run on
// this machine. Real PostgreSQL (the suite's local server), real processes: niceness read back from
// the kernel.
import os from "node:os";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { reniceBackend } from "~/adapters/infra/backend-priority.server";
import { db, disconnectDb, hotPool, setDatabaseBackendNice } from "~/db.server";

const url = process.env.DATABASE_URL!;
const host = new URL(url).hostname;
const local = ["localhost", "127.0.0.1", "[::1]", ""].includes(host);
// Renicing another user's process needs root (as root the suite's embedded PostgreSQL runs as
// `postgres`); as another user it is permitted only for that user's own server.
const root = process.getuid?.() === 0;

async function backendOf(client: pg.ClientBase): Promise<number> {
  return (await client.query<{ pid: number }>("SELECT pg_backend_pid() AS pid")).rows[0]!.pid;
}

afterAll(async () => {
  setDatabaseBackendNice(0);
  await disconnectDb();
});

describe("PostgreSQL backends at the worker's priority", () => {
  it("reniceBackend lowers the priority of the backend serving a connection, and of that one only", async () => {
    const a = new pg.Client({ connectionString: url });
    const b = new pg.Client({ connectionString: url });
    await Promise.all([a.connect(), b.connect()]);
    try {
      const [pa, pb] = await Promise.all([backendOf(a), backendOf(b)]);
      const before = os.getPriority(pb);
      const outcome = await reniceBackend(a, 10);
      if (!local) expect(outcome).toBe("remote");
      else if (root) expect(outcome).toBe("reniced");
      if (outcome !== "reniced") return expect(os.getPriority(pa)).toBe(before);
      expect(os.getPriority(pa)).toBe(10);
      expect(os.getPriority(pb)).toBe(before); // the other connection's backend is untouched
      // Never raises a priority: asking for 5 leaves 10.
      await reniceBackend(a, 5);
      expect(os.getPriority(pa)).toBe(10);
    } finally {
      await Promise.all([a.end(), b.end()]);
    }
  });

  it("after setDatabaseBackendNice, the Prisma client's and the plain pools' new connections are reniced", async () => {
    if (!(local && root)) return;
    await disconnectDb();
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.message);
    process.on("warning", onWarning);
    setDatabaseBackendNice(9);
    const prismaPid = Number((await db().$queryRaw<Array<{ pid: number }>>`SELECT pg_backend_pid() AS pid`)[0]!.pid);
    const client = await hotPool().connect();
    const hotPid = await backendOf(client);
    client.release();
    // The renice is awaited before the pool hands the new connection out (pg-pool `onConnect`).
    await new Promise((r) => setTimeout(r, 50));
    expect(os.getPriority(prismaPid)).toBe(9);
    expect(os.getPriority(hotPid)).toBe(9);
    // The renice never runs beside the connection's first query (pg deprecates concurrent queries).
    process.off("warning", onWarning);
    expect(warnings.filter((w) => w.includes("already executing a query"))).toEqual([]);

    // A process that did not ask (the web process) keeps normal priority.
    await disconnectDb();
    setDatabaseBackendNice(0);
    const webPid = Number((await db().$queryRaw<Array<{ pid: number }>>`SELECT pg_backend_pid() AS pid`)[0]!.pid);
    await new Promise((r) => setTimeout(r, 50));
    expect(os.getPriority(webPid)).toBe(0);
  });
});

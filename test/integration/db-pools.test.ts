// The worker's connection pools follow its concurrency (issue 14, soak): an ingestion transaction
// keeps its connection while it waits for another delivery's advisory lock on the same customer, so a
// pool smaller than the worker's jobs left jobs waiting for a connection with CPU to spare. Real
// PostgreSQL (the suite's local server): the backends are counted by their pids.
import { afterAll, describe, expect, it } from "vitest";
import { db, disconnectDb, hotPool, poolSizes, setDefaultPoolSize } from "~/db.server";

afterAll(async () => {
  setDefaultPoolSize(10);
  await disconnectDb();
});

/** Opens `n` transactions at once; each waits until all have a backend. Their distinct pids, or the
 * number that got one when `ms` ran out (the pool admitted fewer). */
async function concurrentTransactions(n: number, ms: number): Promise<number> {
  const pids = new Set<number>();
  let release!: () => void;
  const all = new Promise<void>((r) => (release = r));
  const txs = Array.from({ length: n }, () =>
    db()
      .$transaction(
        async (tx) => {
          const [row] = await tx.$queryRaw<Array<{ pid: number }>>`SELECT pg_backend_pid() AS pid`;
          pids.add(Number(row!.pid));
          if (pids.size === n) release();
          await Promise.race([all, new Promise((r) => setTimeout(r, ms))]);
        },
        { maxWait: ms * 2, timeout: ms * 4 },
      )
      .catch(() => undefined),
  );
  await Promise.all(txs);
  return pids.size;
}

describe("database pool sizes", () => {
  it("DATABASE_POOL_SIZE wins; else the process's default; plain pools get half, at least 5", () => {
    expect(poolSizes(undefined, 10)).toEqual({ prisma: 10, plain: 5 });
    expect(poolSizes(undefined, 20)).toEqual({ prisma: 20, plain: 10 });
    expect(poolSizes(7, 20)).toEqual({ prisma: 7, plain: 5 });
    expect(poolSizes(undefined, 3)).toEqual({ prisma: 3, plain: 5 });
  });

  it("a worker with 14 jobs per queue holds 14 transactions open at once (the web default holds 10)", async () => {
    await disconnectDb();
    setDefaultPoolSize(10);
    expect(await concurrentTransactions(14, 400)).toBe(10);

    await disconnectDb();
    setDefaultPoolSize(14);
    expect(await concurrentTransactions(14, 2_000)).toBe(14);
    expect(hotPool().options.max).toBe(7);
  });
});

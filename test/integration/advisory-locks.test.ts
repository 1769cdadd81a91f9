// Transaction-scoped advisory locks of the ingestion (app/db/customers.server.ts lockKeys).
import { afterEach, expect, it, vi } from "vitest";
import { db } from "~/db.server";
import { TX_OPTIONS, lockKeys } from "~/db/customers.server";

// The spies sit on the client Prisma's transaction objects share: remove them after each test.
afterEach(() => vi.restoreAllMocks());

it("asks PostgreSQL once per call for the keys not held yet: a key the transaction holds costs no statement", async () => {
  await db().$transaction(async (tx) => {
    const raw = vi.spyOn(tx, "$executeRawUnsafe");
    await lockKeys(tx, ["lk:a", "lk:b", null, "lk:a"]);
    await lockKeys(tx, ["lk:b", "lk:c"]);
    await lockKeys(tx, ["lk:c", "lk:a"]);
    expect(raw).toHaveBeenCalledTimes(2);
    expect(raw.mock.calls.map((c) => c[1])).toEqual([["lk:a", "lk:b"], ["lk:c"]]);
    const held = await tx.$queryRaw<Array<{ n: number }>>`
      SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()`;
    expect(held[0]!.n).toBe(3);
  }, TX_OPTIONS);
});

it("a transaction that ended holds nothing: the next one asks for the same key again", async () => {
  for (let i = 0; i < 2; i++)
    await db().$transaction(async (tx) => {
      const raw = vi.spyOn(tx, "$executeRawUnsafe");
      await lockKeys(tx, ["lk:again"]);
      expect(raw).toHaveBeenCalledTimes(1);
      raw.mockRestore();
      const held = await tx.$queryRaw<Array<{ n: number }>>`
        SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()`;
      expect(held[0]!.n).toBe(1);
    }, TX_OPTIONS);
});

it("a key held by one transaction still makes another wait until it ends", async () => {
  const order: string[] = [];
  let release!: () => void;
  const holding = new Promise<void>((r) => (release = r));
  let locked!: () => void;
  const firstLocked = new Promise<void>((r) => (locked = r));
  const first = db().$transaction(async (tx) => {
    await lockKeys(tx, ["lk:shared"]);
    await lockKeys(tx, ["lk:shared"]); // held: no second statement, still held
    locked();
    await holding;
    order.push("first ends");
  }, TX_OPTIONS);
  await firstLocked;
  const second = db().$transaction(async (tx) => {
    await lockKeys(tx, ["lk:shared"]);
    order.push("second locked");
  }, TX_OPTIONS);
  await new Promise((r) => setTimeout(r, 200));
  expect(order).toEqual([]);
  release();
  await Promise.all([first, second]);
  expect(order).toEqual(["first ends", "second locked"]);
});

it("takes one call's keys in sorted order: a transaction waiting for its second key already holds its first", async () => {
  const lockId = (key: string) => db().$queryRaw<Array<{ objid: number }>>`
    SELECT (hashtextextended(${key}, 0) & 4294967295)::oid::int AS objid`;
  const [a] = await lockId("lk:order-a");
  let release!: () => void;
  const holding = new Promise<void>((r) => (release = r));
  let locked!: () => void;
  const firstLocked = new Promise<void>((r) => (locked = r));
  const first = db().$transaction(async (tx) => {
    await lockKeys(tx, ["lk:order-b"]);
    locked();
    await holding;
  }, TX_OPTIONS);
  await firstLocked;
  // Given b before a, the second transaction still takes a first, then waits for b.
  const second = db().$transaction(async (tx) => lockKeys(tx, ["lk:order-b", "lk:order-a"]), TX_OPTIONS);
  let granted: Array<{ granted: boolean }> = [];
  for (let i = 0; i < 50 && !granted.some((g) => !g.granted); i++) {
    await new Promise((r) => setTimeout(r, 20));
    granted = await db().$queryRaw<Array<{ granted: boolean }>>`
      SELECT granted FROM pg_locks WHERE locktype = 'advisory' AND pid <> pg_backend_pid()
        AND pid IN (SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND objid::int = ${a!.objid} AND granted)`;
  }
  // The holder of a also has a lock not granted yet (b): the order was a, then b.
  expect(granted.map((g) => g.granted).sort()).toEqual([false, true]);
  release();
  await Promise.all([first, second]);
});

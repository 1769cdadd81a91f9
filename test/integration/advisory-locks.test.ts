// Transaction-scoped advisory locks of the ingestion (app/db/customers.server.ts lockKeys).
import { afterEach, expect, it, vi } from "vitest";
import { db } from "~/db.server";
import { TX_OPTIONS, lockKeys } from "~/db/customers.server";

// The spies sit on the client Prisma's transaction objects share: remove them after each test.
afterEach(() => vi.restoreAllMocks());

it("asks PostgreSQL once per key and transaction: a key the transaction holds costs no statement", async () => {
  await db().$transaction(async (tx) => {
    const raw = vi.spyOn(tx, "$executeRaw");
    await lockKeys(tx, ["lk:a", "lk:b", null, "lk:a"]);
    await lockKeys(tx, ["lk:b", "lk:c"]);
    expect(raw).toHaveBeenCalledTimes(3);
    const held = await tx.$queryRaw<Array<{ n: number }>>`
      SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()`;
    expect(held[0]!.n).toBe(3);
  }, TX_OPTIONS);
});

it("a transaction that ended holds nothing: the next one asks for the same key again", async () => {
  for (let i = 0; i < 2; i++)
    await db().$transaction(async (tx) => {
      const raw = vi.spyOn(tx, "$executeRaw");
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

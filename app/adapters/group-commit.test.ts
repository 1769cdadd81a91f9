import { describe, expect, it } from "vitest";
import { groupCommit } from "./group-commit";

/** A write whose statements finish when the test says so; records each batch it was given. */
function controllableWrite(outcome: (item: number) => string | Error = (i) => `ok:${i}`) {
  const batches: number[][] = [];
  const pending: Array<() => void> = [];
  const write = (items: number[]) =>
    new Promise<string[]>((resolve, reject) => {
      batches.push([...items]);
      pending.push(() => {
        const outs = items.map(outcome);
        const bad = outs.find((o) => o instanceof Error);
        if (bad) reject(bad);
        else resolve(outs as string[]);
      });
    });
  const finishNext = async () => {
    pending.shift()!();
    await new Promise((r) => setImmediate(r));
  };
  return { write, batches, pending, finishNext };
}

describe("groupCommit", () => {
  it("writes an item at once when nothing is in flight (no timer, no added latency)", async () => {
    const w = controllableWrite();
    const gc = groupCommit({ write: w.write, maxInFlight: 1, maxBatch: 100 });
    const p = gc.submit(1);
    expect(w.batches).toEqual([[1]]);
    await w.finishNext();
    await expect(p).resolves.toBe("ok:1");
  });

  it("writes the items that arrived while a statement ran together in the next one, each caller getting its own outcome", async () => {
    const w = controllableWrite();
    const gc = groupCommit({ write: w.write, maxInFlight: 1, maxBatch: 100 });
    const first = gc.submit(1);
    const rest = [2, 3, 4].map((i) => gc.submit(i));
    expect(w.batches).toEqual([[1]]);
    expect(gc.waiting).toBe(3);
    await w.finishNext();
    expect(w.batches).toEqual([[1], [2, 3, 4]]);
    await w.finishNext();
    await expect(first).resolves.toBe("ok:1");
    await expect(Promise.all(rest)).resolves.toEqual(["ok:2", "ok:3", "ok:4"]);
  });

  it("runs at most maxInFlight statements and at most maxBatch items per statement", async () => {
    const w = controllableWrite();
    const gc = groupCommit({ write: w.write, maxInFlight: 2, maxBatch: 2 });
    const all = [1, 2, 3, 4, 5, 6, 7].map((i) => gc.submit(i));
    expect(w.batches).toEqual([[1], [2]]);
    await w.finishNext();
    expect(w.batches).toEqual([[1], [2], [3, 4]]);
    while (w.pending.length) await w.finishNext();
    expect(w.batches).toEqual([[1], [2], [3, 4], [5, 6], [7]]);
    await expect(Promise.all(all)).resolves.toEqual([1, 2, 3, 4, 5, 6, 7].map((i) => `ok:${i}`));
  });

  it("when a batch's statement fails, writes each item alone: only the bad item's caller gets the error", async () => {
    const w = controllableWrite((i) => (i === 3 ? new Error("invalid input for item 3") : `ok:${i}`));
    const gc = groupCommit({ write: w.write, maxInFlight: 1, maxBatch: 100 });
    const first = gc.submit(1);
    const rest = [2, 3, 4].map((i) =>
      gc.submit(i).then(
        (o) => o,
        (e: Error) => `rejected: ${e.message}`,
      ),
    );
    await w.finishNext(); // [1]
    await w.finishNext(); // [2, 3, 4] fails
    expect(w.batches).toEqual([[1], [2, 3, 4], [2], [3], [4]]);
    while (w.pending.length) await w.finishNext();
    await expect(first).resolves.toBe("ok:1");
    await expect(Promise.all(rest)).resolves.toEqual(["ok:2", "rejected: invalid input for item 3", "ok:4"]);
  });

  it("treats a wrong number of outcomes as a failed batch", async () => {
    let calls = 0;
    const gc = groupCommit<number, number>({
      write: async (items) => (++calls === 2 ? items.slice(1) : items.map((i) => i * 10)),
      maxInFlight: 1,
      maxBatch: 100,
    });
    const all = [1, 2, 3].map((i) => gc.submit(i));
    await expect(Promise.all(all)).resolves.toEqual([10, 20, 30]);
    expect(calls).toBe(4); // [1], [2, 3] (one outcome short), then 2 and 3 alone
  });

  it("rejects options that could never write", () => {
    expect(() => groupCommit({ write: async () => [], maxInFlight: 0, maxBatch: 1 })).toThrow(RangeError);
  });
});

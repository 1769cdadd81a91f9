import { describe, expect, it } from "vitest";
import { afterCursor, compareTimeline, decodeCursor, encodeCursor, mergeTimeline, type TimelineKey } from "./timeline";

const at = (s: number) => new Date(Date.UTC(2026, 11, 1, 0, 0, s));
const e = (direction: "in" | "out", id: number, s: number): TimelineKey => ({ direction, id, at: at(s) });

/** Plays the service: each side filtered by afterCursor, newest first, pageSize + 1 rows. */
function page(rows: TimelineKey[], cursor: ReturnType<typeof decodeCursor>, pageSize: number) {
  const side = (d: "in" | "out") => {
    const b = afterCursor(cursor, d);
    return rows
      .filter((r) => r.direction === d)
      .filter(
        (r) =>
          !b ||
          r.at < b.before ||
          (r.at.getTime() === b.before.getTime() && (b.sameTimeIdBelow !== null ? r.id < b.sameTimeIdBelow : b.inclusive)),
      )
      .sort(compareTimeline)
      .slice(0, pageSize + 1);
  };
  return mergeTimeline(side("in"), side("out"), pageSize);
}

describe("friend conversation paging", () => {
  it("orders newest first; at the same instant received before sent, then the higher id", () => {
    const rows = [e("out", 1, 5), e("in", 1, 5), e("in", 2, 5), e("out", 2, 9), e("in", 3, 1)];
    expect([...rows].sort(compareTimeline).map((r) => `${r.direction}${r.id}`)).toEqual(["out2", "in2", "in1", "out1", "in3"]);
  });

  it.each([1, 2, 3, 7])("walks every entry exactly once with pages of %i, ties at page edges included", (size) => {
    const rows = [
      e("in", 1, 1),
      e("out", 1, 1),
      e("in", 2, 1),
      e("out", 2, 1),
      e("out", 3, 2),
      e("in", 3, 3),
      e("in", 4, 3),
      e("out", 4, 0),
    ];
    const seen: string[] = [];
    let cursor: ReturnType<typeof decodeCursor> = null;
    for (let i = 0; i < 20; i++) {
      const p = page(rows, cursor, size);
      seen.push(...p.items.map((r) => `${r.direction}${r.id}`));
      if (!p.next) break;
      cursor = decodeCursor(encodeCursor(p.next));
    }
    expect(seen).toEqual([...rows].sort(compareTimeline).map((r) => `${r.direction}${r.id}`));
  });

  it("has no next page when everything fit", () => {
    expect(mergeTimeline([e("in", 1, 1)], [e("out", 1, 2)], 2).next).toBeNull();
  });

  it.each(["", "abc", "1.sideways.2", "1.in.", "-1.in.2", "1.in.2.3"])("rejects a malformed cursor %j", (s) => {
    expect(decodeCursor(s)).toBeNull();
  });

  it("round-trips a cursor", () => {
    expect(decodeCursor(encodeCursor({ at: 1764547200000, direction: "out", id: 42 }))).toEqual({
      at: 1764547200000,
      direction: "out",
      id: 42,
    });
  });
});

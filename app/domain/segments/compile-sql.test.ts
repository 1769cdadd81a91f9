import { describe, expect, it } from "vitest";
import { compileCountDriver, compileDefinition, disjointGroupParts, SqlParams } from "./compile-sql";
import type { Condition, SegmentDefinition } from "./schema";

const ctx = { now: new Date("2026-03-10T03:00:00Z"), timeZone: "Asia/Tokyo", shopId: 7 };

describe("compileDefinition", () => {
  it("zero groups compile to TRUE with only the shop parameter", () => {
    expect(compileDefinition({ groups: [] }, ctx)).toEqual({ sql: "TRUE", params: [7], groups: [] });
  });
  it("never puts values into the SQL text", () => {
    const evil = 'x\'); DROP TABLE "Friend"; --';
    const { sql, params } = compileDefinition(
      {
        groups: [
          {
            conditions: [
              { field: "tag", op: "has", value: evil },
              { field: "shopifyTag", op: "hasAny", value: [evil] },
            ],
          },
          {
            conditions: [
              { field: "richMenuTapped", op: "gte", value: 1, area: evil },
              { field: "linkClicked", op: "gte", value: 1, linkTag: evil },
            ],
          },
        ],
      },
      ctx,
    );
    expect(sql).not.toContain("DROP");
    expect(params.filter((p) => JSON.stringify(p).includes("DROP"))).toHaveLength(4);
    expect(sql).toMatch(/\$\d+::text\[\]/);
  });
  it("dates become shop-local instants", () => {
    const { sql, params } = compileDefinition(
      { groups: [{ conditions: [{ field: "friendAddedAt", op: "before", value: "2026-01-01" }] }] },
      ctx,
    );
    expect(sql).toBe(`((f."followedAt" IS NOT NULL AND f."followedAt" < $2::timestamp(3)))`);
    expect(params[1]).toBe("2025-12-31T15:00:00.000");
  });
  it("event sets of one group are intersected in one sub-query (the small event tables are joined first)", () => {
    const { sql } = compileDefinition(
      {
        groups: [
          {
            conditions: [
              { field: "linkClicked", op: "gte", value: 1, withinDays: 30 },
              { field: "following", op: "is", value: true },
              { field: "richMenuTapped", op: "gte", value: 2, area: "coupon" },
            ],
          },
        ],
      },
      ctx,
    );
    expect(sql.match(/f\."friendId" IN/g)).toHaveLength(1);
    expect(sql).toMatch(
      /^\(f\.following = true AND \(f\."friendId" IN \(SELECT lc\."friendId" FROM "LinkClick" lc WHERE .* AND lc\."friendId" IN \(SELECT rt\."friendId" FROM "RichMenuTap" rt WHERE .* GROUP BY rt\."friendId" HAVING count\(\*\) >= \$\d+::int\)\)\)\)$/,
    );
  });
  it("counts that admit zero use NOT IN", () => {
    const { sql } = compileDefinition({ groups: [{ conditions: [{ field: "linkClicked", op: "lt", value: 2 }] }] }, ctx);
    expect(sql).toContain(`f."friendId" NOT IN`);
    expect(sql).toContain("HAVING NOT (count(*) < $2::int)");
  });
});

describe("compileCountDriver", () => {
  const clicked: Condition = { field: "linkClicked", op: "gte", value: 1, withinDays: 30 };
  const tapped: Condition = { field: "richMenuTapped", op: "gte", value: 2, area: "coupon" };
  const bought: Condition = { field: "productPurchased", op: "hasAny", value: ["3", "7"], withinDays: 90 };

  it("a group's event sets drive by friend id, one id set per condition; the rest of the group no longer tests them", () => {
    const d = compileCountDriver(
      { groups: [{ conditions: [clicked, { field: "following", op: "is", value: true }, tapped, bought] }] },
      ctx,
    )!;
    expect(d.column).toBe(`f."friendId"`);
    expect(d.arrayType).toBe("int[]");
    expect(d.sets).toHaveLength(2);
    expect(d.sets[0]).toMatch(/^\(SELECT lc\."friendId" FROM "LinkClick" lc WHERE [^()]*lc\.at >= \$\d+::timestamp\(3\)\)$/);
    expect(d.sets[1]).toMatch(
      /^\(SELECT rt\."friendId" FROM "RichMenuTap" rt WHERE .* GROUP BY rt\."friendId" HAVING count\(\*\) >= \$\d+::int\)$/,
    );
    expect(d.rest).not.toContain("LinkClick");
    expect(d.rest).toContain("f.following = true");
    expect(d.rest).toContain(`EXISTS (SELECT 1 FROM "CustomerProduct" cp`);
  });
  it("without event sets, each bought-any condition is a set of customer ids, and the rest keeps 'has purchased'", () => {
    const d = compileCountDriver({ groups: [{ conditions: [bought] }] }, ctx)!;
    expect(d).toMatchObject({ column: `f."shopifyCustomerId"`, arrayType: "bigint[]" });
    expect(d.sets).toEqual([
      `(SELECT cp."shopifyCustomerId" FROM "CustomerProduct" cp WHERE cp."shopId" = $1::int AND cp."productId" = ANY($2::bigint[]) AND cp."lastPurchasedAt" >= $3::timestamp(3))`,
    ]);
    expect(d.rest).toBe(`(f."customerId" IS NOT NULL AND f."purchaseCount" > 0)`);
    const two = compileCountDriver({ groups: [{ conditions: [bought, { field: "productPurchased", op: "hasAny", value: ["9"] }] }] }, ctx)!;
    expect(two.sets).toHaveLength(2);
    expect(two.sets[1]).toBe(
      `(SELECT cp."shopifyCustomerId" FROM "CustomerProduct" cp WHERE cp."shopId" = $1::int AND cp."productId" = ANY($4::bigint[]))`,
    );
    expect(two.rest).toBe(`(f."customerId" IS NOT NULL AND f."purchaseCount" > 0)`);
  });
  it("a lone event set leaves TRUE as the rest", () => {
    expect(compileCountDriver({ groups: [{ conditions: [clicked] }] }, ctx)?.rest).toBe("TRUE");
  });
  it("no driver for several groups, negations or counts that admit zero — and then no parameters are added", () => {
    for (const def of [
      { groups: [{ conditions: [clicked] }, { conditions: [tapped] }] },
      { groups: [{ conditions: [{ field: "productPurchased", op: "hasNone", value: ["3"] }] }] },
      { groups: [{ conditions: [{ field: "linkClicked", op: "lt", value: 2 }] }] },
      { groups: [{ conditions: [{ field: "following", op: "is", value: true }] }] },
    ] satisfies SegmentDefinition[]) {
      const p = new SqlParams([7]);
      expect(compileCountDriver(def, ctx, p)).toBeNull();
      expect(p.values).toEqual([7]);
    }
  });
  it("a driver's parameters are added to the statement's list after the ones already there", () => {
    const p = new SqlParams([7, "x"]);
    const d = compileCountDriver({ groups: [{ conditions: [bought] }] }, ctx, p)!;
    expect(p.values.slice(0, 3)).toEqual([7, "x", ["3", "7"]]);
    expect(d.sets[0]).toContain("$3::bigint[]");
  });
});

describe("disjointGroupParts", () => {
  it("puts the group expected to match most first, without exclusion; each later part excludes the earlier groups", () => {
    expect(disjointGroupParts(["(a)", "(b)", "(c)"], [10, 300, 20])).toEqual([
      "(b)",
      "(c) AND ((b)) IS NOT TRUE",
      "(a) AND ((b) OR (c)) IS NOT TRUE",
    ]);
  });
  it("keeps the definition's order between groups expected to match as many", () => {
    expect(disjointGroupParts(["(a)", "(b)"], [5, 5])).toEqual(["(a)", "(b) AND ((a)) IS NOT TRUE"]);
  });
});

import { describe, expect, it } from "vitest";
import { compileDefinition } from "./compile-sql";

const ctx = { now: new Date("2026-03-10T03:00:00Z"), timeZone: "Asia/Tokyo", shopId: 7 };

describe("compileDefinition", () => {
  it("zero groups compile to TRUE with only the shop parameter", () => {
    expect(compileDefinition({ groups: [] }, ctx)).toEqual({ sql: "TRUE", params: [7] });
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

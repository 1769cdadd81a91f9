// Tracked-link clicks arriving together are logged by one statement (group commit,
// app/adapters/group-commit.ts) with the same counting as one statement per click: a visitor's
// first click of a link in a window counts, the rest of the batch are repeats; unknown codes 404;
// a friend of another shop is not attributed. Real PostgreSQL, the route's hot path (`hotGet`).
import { afterEach, describe, expect, it, vi } from "vitest";
import type pg from "pg";
import { db, clickPool } from "~/db.server";
import { installDevShop } from "~/services/shops.server";
import { createTrackedLink, signFriendToken } from "~/services/tracking/links.server";
import { hotGet } from "~/routes/r.$code";
import { uniqueShop } from "../support/shopify";

const BROWSER = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Line/14.0.0";

const redirect = (code: string, opts: { friendId?: number; address?: string } = {}) =>
  hotGet({
    params: { code },
    query: new URLSearchParams(opts.friendId ? { f: signFriendToken(opts.friendId) } : {}),
    headers: { "user-agent": BROWSER },
    clientAddress: opts.address ?? "203.0.113.9",
  });

async function countClickStatements<T>(fn: () => Promise<T>): Promise<{ result: T; statements: number }> {
  const pool = clickPool();
  const original = pool.query.bind(pool) as (...args: unknown[]) => Promise<unknown>;
  let statements = 0;
  vi.spyOn(pool, "query").mockImplementation(((config: pg.QueryConfig, ...rest: unknown[]) => {
    if (typeof config === "object" && config.name?.startsWith("tracked-link-click")) statements++;
    return original(config, ...rest);
  }) as never);
  return { result: await fn(), statements };
}

async function shopWithLink() {
  const domain = uniqueShop("clk");
  await installDevShop({ domain });
  const shop = await db().shop.findUniqueOrThrow({ where: { domain } });
  const link = await createTrackedLink({ shopId: shop.id, url: "https://shop.example/sale", sourceType: "broadcast", sourceId: 1 });
  return { shop, link };
}

afterEach(() => vi.restoreAllMocks());

describe("group commit of tracked-link clicks", () => {
  it("30 clicks of 10 friends at once: few statements, every one redirected, one counted click per friend, the rest repeats", async () => {
    const { shop, link } = await shopWithLink();
    const friends = await Promise.all(
      Array.from({ length: 10 }, (_, i) => db().friend.create({ data: { shopId: shop.id, lineUserId: `U${shop.id}c${i}` } })),
    );
    const clicks = Array.from({ length: 30 }, (_, i) => friends[i % 10]!.id);
    const { result: answers, statements } = await countClickStatements(() =>
      Promise.all(clicks.map((friendId) => redirect(link.code, { friendId }))),
    );
    expect(answers.every((a) => a.status === 302 && a.headers.Location?.startsWith("https://shop.example/sale"))).toBe(true);
    expect(statements).toBeGreaterThan(0);
    expect(statements).toBeLessThan(10); // one per click before
    const rows = await db().linkClick.findMany({ where: { linkId: link.id } });
    expect(rows).toHaveLength(30);
    const counted = rows.filter((r) => r.visitor !== null);
    expect(counted.map((r) => r.friendId).sort()).toEqual(friends.map((f) => f.id).sort());
    expect(rows.filter((r) => r.visitor === null)).toHaveLength(20);
    expect(rows.every((r) => r.shopId === shop.id && r.sourceType === "broadcast" && r.sourceId === 1)).toBe(true);
  });

  it("unknown codes in a batch answer 404 alone; a friend of another shop is logged without attribution", async () => {
    const { link } = await shopWithLink();
    const other = await shopWithLink();
    const stranger = await db().friend.create({ data: { shopId: other.shop.id, lineUserId: `U${other.shop.id}s` } });
    const answers = await Promise.all([
      redirect(link.code, { address: "198.51.100.1" }),
      redirect("zzzzzzzzzzz"),
      redirect(link.code, { friendId: stranger.id }),
      redirect("yyyyyyyyyyy"),
      redirect(link.code, { address: "198.51.100.2" }),
    ]);
    expect(answers.map((a) => a.status)).toEqual([302, 404, 302, 404, 302]);
    const rows = await db().linkClick.findMany({ where: { linkId: link.id } });
    expect(rows).toHaveLength(3);
    expect(rows.every((r) => r.friendId === null)).toBe(true);
    expect(new Set(rows.map((r) => r.visitor)).size).toBe(3); // two addresses + the unattributed friend's visitor: all counted
  });
});

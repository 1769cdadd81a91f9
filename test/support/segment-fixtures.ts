// Shared fixtures for the segment integration tests: a shop with friends added a day apart, and two
// transactions that overlap on purpose (for trigger and lock tests).
import { db } from "~/db.server";
import { uniqueShop } from "./shopify";

/** A shop (Asia/Tokyo) with `n` friends; friend i followed `i` days before `now`. */
export async function shopWithFriends(n: number, now: Date, prefix = "segsvc") {
  const shop = await db().shop.create({ data: { domain: uniqueShop(prefix), timezone: "Asia/Tokyo" } });
  const friends = [];
  for (let i = 0; i < n; i++)
    friends.push(
      await db().friend.create({
        data: {
          shopId: shop.id,
          lineUserId: `U${shop.id}n${i}`,
          displayName: `F${i}`,
          followedAt: new Date(now.getTime() - i * 86_400_000),
        },
      }),
    );
  return { shop, friends };
}

type Tx = Parameters<Parameters<ReturnType<typeof db>["$transaction"]>[0]>[0];

/**
 * T1 runs `first` in a transaction and keeps it open while `second` runs (outside it) for 300 ms, then
 * T1 commits: whichever commits second must see what the first committed.
 */
export async function concurrently(first: (tx: Tx) => Promise<unknown>, second: () => Promise<unknown>) {
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  let started!: () => void;
  const firstDone = new Promise<void>((r) => (started = r));
  const t1 = db().$transaction(async (tx) => {
    await first(tx);
    started();
    await held;
  });
  await firstDone;
  const t2 = second();
  await new Promise((r) => setTimeout(r, 300));
  release();
  await Promise.all([t1, t2]);
}

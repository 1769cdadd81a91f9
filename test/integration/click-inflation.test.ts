// Issue 9 item 10 (/r/ part): tracked-link clicks must not be inflatable to swing an A/B winner.
// Variant A's link is hammered by one browser, crawled by bots and clicked repeatedly by one friend;
// variant B gets three real friends once each. B must win on unique clicks.
import { describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { installDevShop } from "~/services/shops.server";
import { createTrackedLink, signFriendToken, uniqueClickCount } from "~/services/tracking/links.server";
import { pickAbWinner } from "~/services/broadcasts/broadcasts.server";
import { CLIENT_ADDRESS_HEADER } from "~/adapters/http/ingress.server";
import { loader as redirectLoader } from "~/routes/r.$code";
import { uniqueShop } from "../support/shopify";

const BROWSER = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Line/14.0.0";
const BOT = "Googlebot/2.1 (+http://www.google.com/bot.html)";

async function click(shortUrl: string, opts: { ua?: string; address?: string; friendId?: number }) {
  const url = new URL(shortUrl);
  if (opts.friendId) url.searchParams.set("f", signFriendToken(opts.friendId));
  const res = await redirectLoader({
    request: new Request(url, { headers: { "user-agent": opts.ua ?? BROWSER, [CLIENT_ADDRESS_HEADER]: opts.address ?? "203.0.113.7" } }),
    params: { code: url.pathname.split("/").pop()! },
    context: {},
  });
  expect(res.status).toBe(302); // everyone is redirected, counted or not
}

async function abTest() {
  const domain = uniqueShop();
  await installDevShop({ domain });
  const shop = await db().shop.findUniqueOrThrow({ where: { domain } });
  const messages = [{ type: "text", text: "Sale https://shop.example/sale" }];
  const parent = await db().broadcast.create({
    data: {
      shopId: shop.id,
      name: "Sale",
      messages,
      audience: {},
      status: "testing",
      preparedAt: new Date(),
      abConfig: { variants: [messages, messages], testShare: 0.2, metric: "click", decideAfterHours: 0, sendWinnerToRest: false },
    },
  });
  const child = (variant: string) =>
    db().broadcast.create({
      data: {
        shopId: shop.id,
        name: `Sale · ${variant}`,
        messages,
        audience: {},
        status: "sent",
        parentId: parent.id,
        variant,
        targeted: 10,
        preparedAt: new Date(),
      },
    });
  const [a, b] = [await child("A"), await child("B")];
  const friends = await Promise.all(
    [1, 2, 3, 4].map((i) => db().friend.create({ data: { shopId: shop.id, lineUserId: `U${shop.id}x${i}` } })),
  );
  const link = async (sourceId: number) =>
    (await createTrackedLink({ shopId: shop.id, url: "https://shop.example/sale", sourceType: "broadcast", sourceId })).shortUrl;
  return { shop, parent, a, b, friends, linkA: await link(a.id), linkB: await link(b.id) };
}

describe("tracked-link clicks count once per visitor and never for bots", () => {
  it("an inflated variant does not win: A/B winner on unique clicks", async () => {
    const { shop, parent, a, b, friends, linkA, linkB } = await abTest();
    for (let i = 0; i < 100; i++) await click(linkA, {}); // one browser reloading
    for (let i = 0; i < 30; i++) await click(linkA, { ua: BOT, address: `198.51.100.${i}` }); // crawlers
    for (let i = 0; i < 3; i++) await click(linkA, { friendId: friends[0]!.id }); // one friend, three times
    await Promise.all(Array.from({ length: 20 }, () => click(linkA, { address: "192.0.2.9" }))); // concurrent repeats
    for (const f of friends.slice(1)) await click(linkB, { friendId: f.id });

    expect(await uniqueClickCount(shop.id, "broadcast", a.id)).toBe(3);
    expect(await uniqueClickCount(shop.id, "broadcast", b.id)).toBe(3);
    // Repeats are still logged (not counted); bots are not logged at all.
    expect(await db().linkClick.count({ where: { shopId: shop.id, sourceId: a.id } })).toBe(100 + 3 + 20);
    expect(await db().linkClick.count({ where: { shopId: shop.id, userAgent: BOT } })).toBe(0);

    await click(linkB, { address: "192.0.2.50" }); // one more real (anonymous) visitor for B
    const decided = await pickAbWinner(parent.id);
    expect(decided).toMatchObject({ winner: "B", decidedNow: true });
  });

  it("a visitor counts again in a later click window, still as one unique clicker", async () => {
    const { shop, a, linkA } = await abTest();
    const { recordClick } = await import("~/services/tracking/links.server");
    const code = new URL(linkA).pathname.split("/").pop()!;
    const t = new Date();
    await recordClick(code, { userAgent: BROWSER, clientAddress: "192.0.2.1" }, t);
    await recordClick(code, { userAgent: BROWSER, clientAddress: "192.0.2.1" }, new Date(t.getTime() + 25 * 3600_000));
    expect(await db().linkClick.count({ where: { shopId: shop.id, visitor: { not: null } } })).toBe(2);
    expect(await uniqueClickCount(shop.id, "broadcast", a.id)).toBe(1);
  });
});

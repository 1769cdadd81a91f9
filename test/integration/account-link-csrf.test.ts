// Issue 9 item 2: CSRF on the LINE-first account link. The attack: Mallory asks LINE for a link token,
// sends the storefront URL to a shopper who is logged in to the store; opening it must not link
// Mallory's LINE account to the shopper's customer. Everything runs through the emulator (link tokens,
// replies, LINE's account-link dialog and its signed accountLink webhook) and Shopify-signed proxy
// requests.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { startWorker } from "~/jobs/worker";
import { waitForIdleQueues } from "~/services/jobs-wait.server";
import { connectedShop, startLineTestEnv, until, type LineTestEnv } from "./line-support";
import { confirmAccountLink, confirmationForm, postAccountLink, storefrontAccountLink } from "./account-link-support";

let env: LineTestEnv;
let worker: Awaited<ReturnType<typeof startWorker>>;

beforeAll(async () => {
  env = await startLineTestEnv();
  worker = await startWorker({ concurrency: 2, sweeps: false });
});
afterAll(async () => {
  await worker?.stop();
  await env?.close();
});

const idle = async () => expect((await waitForIdleQueues({ timeoutMs: 60_000 })).idle).toBe(true);
const linkedFriends = (shopId: number) => db().friend.findMany({ where: { shopId, customerId: { not: null } } });

/** A LINE user taps "Link my account": the reply carries the storefront URL with a fresh link token. */
async function requestLinkToken(ch: { channelId: string }, domain: string, userId: string): Promise<string> {
  await env.ctl.sendWebhookEvents(ch.channelId, [{ type: "postback", userId, data: "action=link" }]);
  await idle();
  const text = JSON.stringify(await env.ctl.getMessages(ch.channelId, { userId, kind: "reply" }));
  const all = [
    ...text.matchAll(new RegExp(`https://${domain.replace(/\./g, "\\.")}/apps/line/account-link\\?linkToken=([A-Za-z0-9_-]+)`, "g")),
  ];
  expect(all.length).toBeGreaterThan(0);
  return all[all.length - 1][1];
}

describe("LINE-first account link: CSRF", () => {
  it("opening an attacker's link while logged in links nothing: the shopper gets a confirmation naming the LINE account", async () => {
    const { shop, ch, domain } = await connectedShop(env);
    const mallory = env.emu.state.createUser({ displayName: "Mallory {{ customer.email }}", friendOf: [ch.channelId] });
    await env.ctl.sendWebhookEvents(ch.channelId, [{ type: "follow", userId: mallory.userId }]);
    await idle();
    const linkToken = await requestLinkToken(ch, domain, mallory.userId);

    const opened = await storefrontAccountLink(domain, { linkToken, customerId: "880001" });
    const form = await confirmationForm(opened);
    // The page says whose LINE account it is (escaped: Shopify renders the body as Liquid).
    expect(form.html).toContain("Mallory &#123;&#123; customer.email &#125;&#125;");
    expect(form.html).not.toContain("{{");
    // Nothing is bound to the shopper by opening the page, and LINE's dialog was never reached.
    const intent = await db().linkIntent.findFirstOrThrow({ where: { shopId: shop.id, linkToken } });
    expect(intent).toMatchObject({ lineUserId: mallory.userId, shopifyCustomerId: null, usedAt: null });
    await idle();
    expect(await linkedFriends(shop.id)).toEqual([]);
  });

  it("a forged POST is refused: no CSRF token, or one issued to another customer (the attacker's own account)", async () => {
    const { shop, ch, domain } = await connectedShop(env);
    const mallory = env.emu.state.createUser({ displayName: "Mallory", friendOf: [ch.channelId] });
    const linkToken = await requestLinkToken(ch, domain, mallory.userId);
    // Mallory opens her own link logged in as her own store account and keeps the CSRF token.
    const own = await confirmationForm(await storefrontAccountLink(domain, { linkToken, customerId: "880999" }));

    const noToken = await postAccountLink(domain, "880001", { linkToken });
    expect(noToken.status).toBe(403);
    const othersToken = await postAccountLink(domain, "880001", { linkToken, csrf: own.csrf });
    expect(othersToken.status).toBe(403);
    const garbage = await postAccountLink(domain, "880001", {
      linkToken,
      csrf: `${Math.floor(Date.now() / 1000) + 600}.${"A".repeat(43)}`,
    });
    expect(garbage.status).toBe(403);
    const notLoggedIn = await postAccountLink(domain, "", { linkToken, csrf: own.csrf });
    expect(await notLoggedIn.text()).toContain("/account/login");
    for (const r of [noToken, othersToken, garbage]) expect(r.headers.get("location")).toBeNull();
    expect((await db().linkIntent.findFirstOrThrow({ where: { shopId: shop.id, linkToken } })).shopifyCustomerId).toBeNull();
    expect(await linkedFriends(shop.id)).toEqual([]);
  });

  it("the accountLink event must carry the nonce issued for the confirming customer and come from the token's LINE user", async () => {
    const { shop, ch, domain } = await connectedShop(env);
    const keiko = env.emu.state.createUser({ displayName: "Keiko", friendOf: [ch.channelId] });
    const mallory = env.emu.state.createUser({ displayName: "Mallory", friendOf: [ch.channelId] });
    const linkToken = await requestLinkToken(ch, domain, keiko.userId);
    const res = await confirmAccountLink(domain, linkToken, "880002");
    expect(res.status).toBe(303);
    const dialog = new URL(res.headers.get("location")!);
    const nonce = dialog.searchParams.get("nonce")!;

    // Mallory replays the nonce from her own LINE account: refused, the intent stays usable.
    await env.ctl.sendWebhookEvents(ch.channelId, [{ type: "accountLink", userId: mallory.userId, link: { result: "ok", nonce } }]);
    await idle();
    expect(await linkedFriends(shop.id)).toEqual([]);
    // A nonce nobody confirmed (made up) links nothing either.
    await env.ctl.sendWebhookEvents(ch.channelId, [
      { type: "accountLink", userId: keiko.userId, link: { result: "ok", nonce: "made-up-nonce" } },
    ]);
    await idle();
    expect(await linkedFriends(shop.id)).toEqual([]);

    // Another logged-in customer cannot take over a token already confirmed by someone.
    const other = await confirmationForm(await storefrontAccountLink(domain, { linkToken, customerId: "880003" }));
    expect((await postAccountLink(domain, "880003", { linkToken, csrf: other.csrf })).status).toBe(410);

    // Keiko's browser follows LINE's dialog: LINE sends the event from Keiko with the nonce → linked.
    expect((await fetch(dialog)).status).toBe(200);
    await idle();
    const [friend] = await until(async () => {
      const rows = await linkedFriends(shop.id);
      return rows.length ? rows : null;
    });
    expect(friend).toMatchObject({ lineUserId: keiko.userId, linkSource: "line" });
    expect((await db().customer.findUniqueOrThrow({ where: { id: friend.customerId! } })).shopifyCustomerId).toBe(880002n);
  });

  it("an unknown or expired link token gets the same answer and no form", async () => {
    const { domain } = await connectedShop(env);
    const r = await storefrontAccountLink(domain, { linkToken: "unknownToken123", customerId: "880004" });
    expect(r.status).toBe(410);
    expect(await r.text()).not.toContain("<form");
  });
});

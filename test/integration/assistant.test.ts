// The segment assistant end to end on a seeded shop: goals in four languages → proposed members
// (through the CLI command objects and one real `npm run cli` process), Consult mode's question and
// answer, refinement, approve (segment saved, nothing sent) and approve from a file.
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import type { Shop } from "@prisma/client";
import { db } from "~/db.server";
import { uniqueShop } from "../support/shopify";
import { commands } from "../../scripts/cli/commands/agent";
import { cancelConversation, openConversation, proposeSegment } from "~/services/assistant/assistant.server";
import { preselectedAudience } from "~/services/broadcasts/admin.server";
import { sandboxCookie } from "~/adapters/shopify/admin-auth.server";
import { resetEnv } from "~/config/env.server";
import { installDevShop } from "~/services/shops.server";
import { createSegment } from "~/services/segments/segments.server";
import { action as assistantAction } from "~/routes/app.assistant";
import { createInstance } from "i18next";
import { i18nOptions } from "~/i18n/config";

const run = promisify(execFile);
const propose = commands.find((c) => c.name === "agent:propose")!;
const approve = commands.find((c) => c.name === "agent:approve")!;
const DAY = 86_400_000;

interface ProposeOut {
  status: "proposal" | "question";
  question?: string;
  conversationId: number;
  proposal?: {
    name: string;
    definition: { groups: Array<{ conditions: unknown[] }> };
    summary: string;
    estimate: { count: number; excluded: { blocked: number; optedOut: number } };
    sample: Array<{ lineUserId: string; displayName: string | null; shopifyCustomerId: string | null }>;
  };
}

let shop: Shop;
const now = new Date();

/**
 * Friends (lineUserId → facts):
 *   never   — not linked               fresh   — became a friend 3 days ago, not linked
 *   zero    — linked, 0 purchases      once    — 1 purchase 10 days ago (Organic Green Tea)
 *   vip     — 3 purchases, last 120 days ago, ¥60,000, Shopify tag VIP
 *   cart    — 2 purchases, last 40 days ago, abandoned a cart 5 hours ago
 *   blocked — 5 purchases, last 200 days ago, blocked      optout — 2 purchases, last 100 days ago, opted out
 */
beforeAll(async () => {
  shop = await db().shop.create({ data: { domain: uniqueShop("assistant"), timezone: "Asia/Tokyo", currency: "JPY" } });
  let cid = 1000;
  const friend = async (
    lineUserId: string,
    opts: {
      customer?: { purchaseCount: number; lastDaysAgo?: number; amountSpent?: number; tags?: string[]; abandonedHoursAgo?: number };
      followedDaysAgo?: number;
      following?: boolean;
      optOut?: boolean;
    },
  ) => {
    let customerId: number | null = null;
    if (opts.customer) {
      const c = opts.customer;
      const row = await db().customer.create({
        data: {
          shopId: shop.id,
          shopifyCustomerId: BigInt(++cid),
          purchaseCount: c.purchaseCount,
          lastPurchaseAt: c.lastDaysAgo === undefined ? null : new Date(now.getTime() - c.lastDaysAgo * DAY),
          firstPurchaseAt: c.lastDaysAgo === undefined ? null : new Date(now.getTime() - (c.lastDaysAgo + 30) * DAY),
          amountSpent: c.amountSpent ?? c.purchaseCount * 3000,
          tags: c.tags ?? [],
          abandonedCheckoutAt: c.abandonedHoursAgo === undefined ? null : new Date(now.getTime() - c.abandonedHoursAgo * 3_600_000),
        },
      });
      customerId = row.id;
    }
    return db().friend.create({
      data: {
        shopId: shop.id,
        lineUserId,
        displayName: lineUserId,
        followedAt: new Date(now.getTime() - (opts.followedDaysAgo ?? 100) * DAY),
        following: opts.following ?? true,
        marketingOptOut: opts.optOut ?? false,
        customerId,
      },
    });
  };
  await friend("never", {});
  await friend("fresh", { followedDaysAgo: 3 });
  await friend("zero", { customer: { purchaseCount: 0 } });
  await friend("once", { customer: { purchaseCount: 1, lastDaysAgo: 10 } });
  await friend("vip", { customer: { purchaseCount: 3, lastDaysAgo: 120, amountSpent: 60000, tags: ["VIP"] } });
  await friend("cart", { customer: { purchaseCount: 2, lastDaysAgo: 40, abandonedHoursAgo: 5 } });
  await friend("blocked", { customer: { purchaseCount: 5, lastDaysAgo: 200 }, following: false });
  await friend("optout", { customer: { purchaseCount: 2, lastDaysAgo: 100 }, optOut: true });
  // "once" bought Organic Green Tea.
  const once = await db().customer.findFirstOrThrow({ where: { shopId: shop.id, purchaseCount: 1 } });
  const order = await db().order.create({
    data: {
      shopId: shop.id,
      shopifyOrderId: 5001n,
      shopifyCustomerId: once.shopifyCustomerId,
      processedAt: once.lastPurchaseAt!,
      shopifyUpdatedAt: once.lastPurchaseAt!,
      totalPrice: 3000,
      currency: "JPY",
    },
  });
  await db().orderLine.create({
    data: {
      orderId: order.id,
      shopId: shop.id,
      shopifyCustomerId: once.shopifyCustomerId,
      productId: 777n,
      title: "Organic Green Tea",
      quantity: 1,
      price: 3000,
      purchasedAt: once.lastPurchaseAt!,
    },
  });
  await db().customerProduct.create({
    data: {
      shopId: shop.id,
      shopifyCustomerId: once.shopifyCustomerId,
      productId: 777n,
      firstPurchasedAt: once.lastPurchaseAt!,
      lastPurchasedAt: once.lastPurchaseAt!,
      orderCount: 1,
      quantity: 1,
    },
  });
});

const members = (out: ProposeOut) => out.proposal!.sample.map((s) => s.lineUserId).sort();

describe("agent:propose — members of the proposed segment", () => {
  it.each([
    ["en", "friends who never purchased", ["fresh", "never", "zero"], { blocked: 0, optedOut: 0 }],
    ["en", "a comeback campaign for dormant customers", ["vip"], { blocked: 1, optedOut: 1 }],
    ["en", "a limited coupon only for repeat customers", ["cart", "vip"], { blocked: 1, optedOut: 1 }],
    ["en", "friends who haven't bought recently", ["vip"], { blocked: 1, optedOut: 1 }],
    ["en", "onboarding for people who just became friends", ["fresh"], { blocked: 0, optedOut: 0 }],
    ["en", "customers who bought organic green tea", ["once"], { blocked: 0, optedOut: 0 }],
    ["ja", "カゴ落ちした人", ["cart"], { blocked: 0, optedOut: 0 }],
    ["ja", "累計購入金額が5万円以上", ["vip"], { blocked: 0, optedOut: 0 }],
    ["zh-TW", "7天內加入好友", ["fresh"], { blocked: 0, optedOut: 0 }],
    ["zh-TW", "購買過但最近30天沒有購買", ["cart", "vip"], { blocked: 1, optedOut: 1 }],
    ["th", "ลูกค้าที่ซื้อครั้งเดียว", ["once"], { blocked: 0, optedOut: 0 }],
    ["th", "เพื่อนที่มีแท็ก VIP", ["vip"], { blocked: 0, optedOut: 0 }],
  ])("[%s] %s", async (locale, goal, want, excluded) => {
    const out = (await propose.run({ shop: shop.domain, goal, locale })) as ProposeOut;
    expect(out.status).toBe("proposal");
    expect(members(out)).toEqual(want);
    expect(out.proposal!.estimate).toEqual({ count: want.length, excluded });
    expect(Object.keys(out.proposal!).sort()).toEqual(["definition", "estimate", "name", "sample", "summary"]);
  });

  it("Consult mode asks one question, then proposes with the answer", async () => {
    const q = (await propose.run({ shop: shop.domain, goal: "repeat customers", mode: "consult", locale: "en" })) as ProposeOut;
    expect(q.status).toBe("question");
    expect(q.question).toMatch(/2\+ or 3\+ purchases/);
    expect(q.proposal).toBeUndefined();
    const p = (await propose.run({ shop: shop.domain, goal: "3+", conversation: String(q.conversationId) })) as ProposeOut;
    expect(p.status).toBe("proposal");
    expect(p.conversationId).toBe(q.conversationId);
    expect(p.proposal!.definition).toEqual({ groups: [{ conditions: [{ field: "purchaseCount", op: "gte", value: 3 }] }] });
    expect(members(p)).toEqual(["vip"]);
    // Auto mode proposes at once with the stated default.
    const auto = (await propose.run({ shop: shop.domain, goal: "repeat customers", mode: "auto", locale: "en" })) as ProposeOut;
    expect(auto.status).toBe("proposal");
  });

  it("refines the current proposal and keeps the conversation per shop", async () => {
    const first = (await propose.run({ shop: shop.domain, goal: "repeat customers", locale: "en" })) as ProposeOut;
    const refined = (await propose.run({ shop: shop.domain, goal: "only VIPs", conversation: String(first.conversationId) })) as ProposeOut;
    expect(refined.proposal!.definition).toEqual({
      groups: [
        {
          conditions: [
            { field: "purchaseCount", op: "gte", value: 2 },
            { field: "shopifyTag", op: "hasAny", value: ["VIP"] },
          ],
        },
      ],
    });
    expect(members(refined)).toEqual(["vip"]);
    const open = await openConversation(shop.id);
    expect(open!.id).toBe(first.conversationId);
    expect(open!.messages.map((m) => m.role)).toEqual(["merchant", "assistant", "merchant", "assistant"]);
    // Conversations are scoped to their shop.
    const other = await db().shop.create({ data: { domain: uniqueShop("assistant-other") } });
    await expect(proposeSegment(other, { text: "only VIPs", conversationId: first.conversationId })).rejects.toThrow(/not found/);
  });

  it("says when it does not understand, in the merchant's language", async () => {
    const out = (await propose.run({ shop: shop.domain, goal: "こんにちは", locale: "ja" })) as ProposeOut;
    expect(out.status).toBe("question");
    expect(out.question).toMatch(/条件に変換できませんでした/);
  });
});

describe("agent:approve", () => {
  it("saves the proposal with its suggested name and returns the composer URL; nothing is sent", async () => {
    const p = (await propose.run({ shop: shop.domain, goal: "dormant customers", locale: "en" })) as ProposeOut;
    expect(await db().segment.count({ where: { shopId: shop.id } })).toBe(0);
    const out = (await approve.run({ shop: shop.domain, conversation: String(p.conversationId) })) as {
      segment: { id: number; name: string; memberCount: number };
      composerUrl: string;
    };
    expect(out.segment).toMatchObject({ name: "Dormant 90+ days", memberCount: 1 });
    expect(out.composerUrl).toBe(`/app/broadcasts/new?segmentId=${out.segment.id}`);
    const seg = await db().segment.findUniqueOrThrow({ where: { id: out.segment.id } });
    expect(seg.definition).toEqual(p.proposal!.definition);
    expect(await db().broadcast.count({ where: { shopId: shop.id } })).toBe(0);
    expect((await db().assistantConversation.findUniqueOrThrow({ where: { id: p.conversationId } })).status).toBe("approved");
    await expect(approve.run({ shop: shop.domain, conversation: String(p.conversationId) })).rejects.toThrow(/closed/);
  });

  it("approves from a file of agent:propose output, making the name unique; refuses an invalid definition", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "assistant-"));
    const p = (await propose.run({ shop: shop.domain, goal: "dormant customers", locale: "en" })) as ProposeOut;
    const file = path.join(dir, "proposal.json");
    fs.writeFileSync(file, JSON.stringify(p));
    const out = (await approve.run({ shop: shop.domain, file })) as { segment: { name: string } };
    expect(out.segment.name).toBe("Dormant 90+ days (2)");
    fs.writeFileSync(file, JSON.stringify({ groups: [{ conditions: [{ field: "purchaseCount", op: "gte", value: -1 }] }] }));
    process.exitCode = 0;
    const bad = (await approve.run({ shop: shop.domain, file })) as { error: string; issues: Array<{ path: string }> };
    expect(process.exitCode).toBe(2);
    process.exitCode = 0;
    expect(bad.issues[0]!.path).toBe("groups[0].conditions[0].value");
  });

  it("the composer URL's segmentId opens the composer with that segment and its estimate; others are ignored", async () => {
    const p = (await propose.run({ shop: shop.domain, goal: "never purchased", locale: "en" })) as ProposeOut;
    const out = (await approve.run({ shop: shop.domain, conversation: String(p.conversationId) })) as {
      segment: { id: number; name: string; memberCount: number };
      composerUrl: string;
    };
    const segmentId = new URL(out.composerUrl, "https://app.test").searchParams.get("segmentId");
    const opened = await preselectedAudience(shop, segmentId, now);
    expect(opened).toMatchObject({ segmentId: out.segment.id, name: out.segment.name });
    expect(opened!.estimate.recipients).toBe(p.proposal!.estimate.count);
    expect(opened!.estimate.recipients).toBeGreaterThan(0);
    // Another shop's segment, an unknown id, and not-an-id: no audience, no error.
    const other = await db().shop.create({ data: { domain: uniqueShop("assistant-other"), timezone: "Asia/Tokyo", currency: "JPY" } });
    expect(await preselectedAudience(other, segmentId, now)).toBeNull();
    for (const raw of [null, "", "0", "-1", "1.5", "abc", "99999999999", String(out.segment.id + 100_000)])
      expect(await preselectedAudience(shop, raw, now)).toBeNull();
  });

  it("cancel closes the conversation; the next goal starts a new one", async () => {
    const p = (await propose.run({ shop: shop.domain, goal: "never purchased", locale: "en" })) as ProposeOut;
    expect((await openConversation(shop.id))!.id).toBe(p.conversationId);
    await cancelConversation(shop.id, p.conversationId);
    expect((await openConversation(shop.id))?.id).not.toBe(p.conversationId);
    await expect(approve.run({ shop: shop.domain, conversation: String(p.conversationId) })).rejects.toThrow(/closed/);
  });
});

describe("npm run cli -- agent:propose", () => {
  it("prints the contract's JSON from a real CLI process", async () => {
    const { stdout } = await run(
      process.execPath,
      ["--import", "tsx", "scripts/cli.ts", "agent:propose", "--shop", shop.domain, "--goal", "never purchased", "--locale", "en"],
      { env: { ...process.env, LOG_LEVEL: "silent" }, timeout: 60_000 },
    );
    const out = JSON.parse(stdout) as ProposeOut;
    expect(out.status).toBe("proposal");
    expect(out.proposal!.definition).toEqual({ groups: [{ conditions: [{ field: "hasPurchased", op: "is", value: false }] }] });
    expect(out.proposal!.estimate).toEqual({ count: 3, excluded: { blocked: 0, optedOut: 0 } });
    expect(out.proposal!.summary).toBe("Anyone who has never purchased");
  }, 90_000);
});

describe("the assistant page's errors in the merchant's language", () => {
  const post = (domain: string, locale: string, data: Record<string, string>) =>
    new Request(`https://my-test-app.myshopify.io/app/assistant?locale=${locale}`, {
      method: "POST",
      headers: { cookie: sandboxCookie(domain) },
      body: new URLSearchParams(data),
    });

  it("approving under a taken name, or a closed conversation, is refused in Chinese, not English", async () => {
    process.env.SANDBOX_AUTH = "1";
    resetEnv();
    // Installed like a real shop (offline session), so the route's admin authentication passes.
    const domain = uniqueShop("assistant-tw");
    await installDevShop({ domain, country: "TW", currency: "TWD", timezone: "Asia/Taipei" });
    const tw = await db().shop.findUniqueOrThrow({ where: { domain } });
    await createSegment(tw.id, { name: "回購顧客", definition: { groups: [] } }, new Date(), { refresh: "inline" });
    const r = await proposeSegment(tw, { text: "repeat customers", locale: "zh-TW" });
    const approve = (name?: string) =>
      assistantAction({
        request: post(tw.domain, "zh-TW", { intent: "approve", conversationId: String(r.conversationId), ...(name ? { name } : {}) }),
        params: {},
        context: {},
      } as never) as Promise<Response>;
    // The route answers with message keys and their parameters; the page words them in zh-TW.
    const zh = createInstance();
    await zh.init({ ...i18nOptions, lng: "zh-TW", defaultNS: "admin" });
    const worded = (body: { errors: Record<string, string>; errorParams?: Record<string, Record<string, string>> }) =>
      zh.t(body.errors.form as never, (body.errorParams?.form ?? {}) as never) as unknown as string;
    const taken = await approve("回購顧客");
    expect(taken.status).toBe(422);
    const takenBody = await taken.json();
    expect(takenBody).toMatchObject({ errors: { form: "segments.errors.nameTaken" }, errorParams: { form: { name: "回購顧客" } } });
    expect(worded(takenBody)).toBe("已有名為「回購顧客」的分眾");

    await cancelConversation(tw.id, r.conversationId);
    const closed = await approve();
    expect(closed.status).toBe(422);
    const closedBody = await closed.json();
    expect(closedBody.errors).toEqual({ form: "assistant.errors.closed" });
    expect(worded(closedBody)).toBe("此對話已結束。請開始新的對話。");
  });
});

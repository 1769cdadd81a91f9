// One home per settings area (issue 13): the messaging policy lives in MessagingPolicy rows only.
// Migration 20261202055900_messaging_policy_home moves the legacy Shop.settings.marketing copy into
// rows; saving the policy no longer writes a JSON mirror, and saving one Shop.settings area keeps the others.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { Prisma } from "@prisma/client";
import { db } from "~/db.server";
import { ROOT } from "~/adapters/infra/bootstrap.server";
import { loadMessagingPolicy, saveMessagingPolicy } from "~/db/settings/messaging-policy.server";
import { updateConsentSettings } from "~/services/consent/consent.server";
import { saveLifecycleSettings } from "~/db/settings/lifecycle.server";
import { setLinePlan } from "~/services/shops.server";
import { uniqueShop } from "../support/shopify";

const MIGRATION = path.join(ROOT, "prisma/migrations/20261202055900_messaging_policy_home/migration.sql");

async function runMigration() {
  const sql = fs.readFileSync(MIGRATION, "utf8").replace(/^--.*$/gm, "");
  for (const statement of sql.split(/;\s*$/m).filter((s) => s.trim())) await db().$executeRawUnsafe(statement);
}

async function shopWith(settings: Record<string, unknown>) {
  return db().shop.create({ data: { domain: uniqueShop("settings"), settings: settings as Prisma.InputJsonValue } });
}

describe("messaging policy: one home", () => {
  it("the migration moves Shop.settings.marketing into MessagingPolicy rows and drops the JSON copy", async () => {
    const both = await shopWith({
      marketing: { frequencyCap: { max: 2, days: 7 }, quietHours: { start: 21, end: 9 } },
      consent: { optOutKeywords: ["STOP"] },
    });
    const quietOnly = await shopWith({ marketing: { frequencyCap: null, quietHours: { start: 8, end: 6 } } });
    const zeroCap = await shopWith({ marketing: { frequencyCap: { max: 0, days: 7 }, quietHours: null } });
    const hasRow = await shopWith({ marketing: { frequencyCap: { max: 5, days: 1 }, quietHours: null } });
    await db().messagingPolicy.create({ data: { shopId: hasRow.id, capMax: 3, capWindowDays: 30 } });
    const nullMarketing = await shopWith({ marketing: null, plan: { country: "TW" } });
    const none = await shopWith({ plan: { country: "TH" } });

    await runMigration();

    const policy = (shop: { id: number }) => loadMessagingPolicy(shop);
    expect(await policy(both)).toEqual({ quietHours: { start: "21:00", end: "09:00" }, frequencyCap: { max: 2, windowDays: 7 } });
    expect(await policy(quietOnly)).toEqual({ quietHours: { start: "08:00", end: "06:00" }, frequencyCap: null });
    expect(await policy(zeroCap)).toEqual({ quietHours: null, frequencyCap: null });
    expect(await policy(hasRow)).toEqual({ quietHours: null, frequencyCap: { max: 3, windowDays: 30 } });
    expect(await db().messagingPolicy.findUnique({ where: { shopId: nullMarketing.id } })).toBeNull();
    expect(await db().messagingPolicy.findUnique({ where: { shopId: none.id } })).toBeNull();
    const settings = async (shop: { id: number }) => (await db().shop.findUniqueOrThrow({ where: { id: shop.id } })).settings;
    expect(await settings(both)).toEqual({ consent: { optOutKeywords: ["STOP"] } });
    expect(await settings(hasRow)).toEqual({});
    expect(await settings(nullMarketing)).toEqual({ plan: { country: "TW" } });
    expect(await settings(none)).toEqual({ plan: { country: "TH" } });
  });

  it("saving the policy writes its row and no JSON mirror", async () => {
    const shop = await shopWith({});
    await saveMessagingPolicy(shop.id, { quietHours: { start: "22:30", end: "08:00" }, frequencyCap: { max: 1, windowDays: 3 } });
    expect(await loadMessagingPolicy(shop)).toEqual({
      quietHours: { start: "22:30", end: "08:00" },
      frequencyCap: { max: 1, windowDays: 3 },
    });
    expect((await db().shop.findUniqueOrThrow({ where: { id: shop.id } })).settings).toEqual({});
  });
});

describe("Shop.settings areas", () => {
  it("saving one area keeps the others, also when saves run at once", async () => {
    const shop = await shopWith({ attribution: { windowDays: 14 } });
    await Promise.all([
      updateConsentSettings(shop.id, {
        optOutKeywords: "STOP",
        optInKeywords: "START",
        optOutReply: "Bye",
        optInReply: "Hi",
        mirrorShopify: true,
      }),
      saveLifecycleSettings(shop.id, { review: { enabled: true, afterDays: 9 } }),
      setLinePlan(shop.domain, { region: "TW", planId: "light" }),
    ]);
    const settings = (await db().shop.findUniqueOrThrow({ where: { id: shop.id } })).settings as Record<string, Record<string, unknown>>;
    expect(Object.keys(settings).sort()).toEqual(["attribution", "consent", "lifecycle", "plan"]);
    expect(settings.attribution).toEqual({ windowDays: 14 });
    expect(settings.consent).toMatchObject({ optOutKeywords: ["STOP"], mirrorShopify: true });
    expect(settings.lifecycle!.review).toMatchObject({ enabled: true, afterDays: 9 });
    expect(settings.plan).toEqual({ country: "TW", planId: "light" });
  });
});

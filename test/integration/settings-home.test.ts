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
import { saveConsentSettings } from "~/db/settings/consent.server";
import { saveLifecycleSettings } from "~/db/settings/lifecycle.server";
import { setLinePlan } from "~/services/shops.server";
import { loadAbandonedCartSettings, saveAbandonedCartSettings } from "~/db/settings/abandoned-cart.server";
import { loadLifecycleSettings } from "~/db/settings/lifecycle.server";
import { AbandonedCartConfigSchema } from "~/domain/reminders/abandoned-cart";
import { segmentUsers } from "~/db/segments.server";
import { uniqueShop } from "../support/shopify";

const MIGRATION = path.join(ROOT, "prisma/migrations/20261202055900_messaging_policy_home/migration.sql");
const AUTOMATIONS_MIGRATION = path.join(ROOT, "prisma/migrations/20261202120000_automation_settings_home/migration.sql");

async function runMigration(file = MIGRATION) {
  const sql = fs.readFileSync(file, "utf8").replace(/^--.*$/gm, "");
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
      saveConsentSettings(shop.id, {
        optOutKeywords: ["STOP"],
        optInKeywords: ["START"],
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

describe("automation settings: one storage (Shop.settings)", () => {
  // The AutomationSetting table as migration 20261122074500_features created it (the migration under
  // test drops it, so the already-migrated test database no longer has it).
  const OLD_TABLE = `CREATE TABLE "AutomationSetting" (
    "id" SERIAL NOT NULL, "shopId" INTEGER NOT NULL, "kind" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT false, "config" JSONB NOT NULL DEFAULT '{}',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP, "updatedAt" TIMESTAMP(3) NOT NULL,
    CONSTRAINT "AutomationSetting_pkey" PRIMARY KEY ("id"))`;

  /** What the app read from an AutomationSetting row before the move (readAutomationSetting). */
  const oldRead = (row: { enabled: boolean; config: unknown } | null) => {
    const parsed = AbandonedCartConfigSchema.safeParse(row?.config ?? {});
    return { enabled: row?.enabled ?? false, config: parsed.success ? parsed.data : AbandonedCartConfigSchema.parse({}) };
  };

  it("the migration moves abandoned-cart rows into Shop.settings.abandonedCart; every shop reads the same values after", async () => {
    await db().$executeRawUnsafe(OLD_TABLE);
    const rows: Array<{ settings: Record<string, unknown>; row: { enabled: boolean; config: Record<string, unknown> } | null }> = [
      {
        settings: { lifecycle: { review: { enabled: true, afterDays: 9 } }, plan: { country: "TW" } },
        row: {
          enabled: true,
          config: { delay: "PT3H", switchMenu: false, heading: { ja: "お忘れですか？" }, button: { en: "Back to cart" }, maxAge: "P2D" },
        },
      },
      { settings: {}, row: { enabled: false, config: { delay: "PT30M" } } },
      { settings: { consent: { mirrorShopify: true } }, row: { enabled: true, config: {} } },
      { settings: {}, row: { enabled: true, config: { delay: "not a duration" } } }, // read as the default config before, and after
      { settings: { attribution: { windowDays: 3 } }, row: null },
    ];
    const shops = [];
    for (const r of rows) {
      const shop = await shopWith(r.settings);
      if (r.row)
        await db().$executeRawUnsafe(
          `INSERT INTO "AutomationSetting" ("shopId", kind, enabled, config, "updatedAt") VALUES ($1, 'abandoned_cart', $2, $3::jsonb, now())`,
          shop.id,
          r.row.enabled,
          JSON.stringify(r.row.config),
        );
      shops.push({ shop, ...r });
    }

    await runMigration(AUTOMATIONS_MIGRATION);

    for (const { shop, settings, row } of shops) {
      expect(await loadAbandonedCartSettings(shop.id)).toEqual(oldRead(row));
      const stored = (await db().shop.findUniqueOrThrow({ where: { id: shop.id } })).settings as Record<string, unknown>;
      expect(stored).toEqual(row ? { ...settings, abandonedCart: { enabled: row.enabled, config: row.config } } : settings);
    }
    const [first] = shops;
    expect((await loadLifecycleSettings(first!.shop.id)).review).toMatchObject({ enabled: true, afterDays: 9 });
    const table = await db().$queryRawUnsafe<unknown[]>(`SELECT 1 FROM information_schema.tables WHERE table_name = 'AutomationSetting'`);
    expect(table).toEqual([]);
  });

  it("saving the abandoned cart keeps the other areas and the config fields not given", async () => {
    const shop = await shopWith({ lifecycle: { welcome: { enabled: true } } });
    await saveAbandonedCartSettings(shop.id, { enabled: true, config: { delay: "PT2H", heading: { th: "ลืมอะไรไหม" } } });
    await Promise.all([
      saveAbandonedCartSettings(shop.id, { config: { switchMenu: false } }),
      saveLifecycleSettings(shop.id, { review: { enabled: true } }),
    ]);
    expect(await loadAbandonedCartSettings(shop.id)).toMatchObject({
      enabled: true,
      config: { delay: "PT2H", switchMenu: false, heading: { th: "ลืมอะไรไหม" } },
    });
    const lifecycle = await loadLifecycleSettings(shop.id);
    expect([lifecycle.welcome.enabled, lifecycle.review.enabled]).toEqual([true, true]);
  });

  it("a segment a lifecycle automation uses is listed as in use (it was missed while only AutomationSetting rows were searched)", async () => {
    const shop = await shopWith({});
    const [audience, dormant, free] = await Promise.all(
      ["VIP", "Dormant", "Unused"].map((name) => db().segment.create({ data: { shopId: shop.id, name, definition: {} } })),
    );
    await saveLifecycleSettings(shop.id, { review: { segmentIds: [audience!.id] }, winback: { dormantSegmentId: dormant!.id } });
    const users = await segmentUsers(shop.id);
    expect(users.get(audience!.id)).toEqual([{ kind: "automation", id: 0, name: "lifecycle", active: true }]);
    expect(users.get(dormant!.id)).toEqual([{ kind: "automation", id: 0, name: "lifecycle", active: true }]);
    expect(users.get(free!.id)).toBeUndefined();
  });
});

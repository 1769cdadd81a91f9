// Issue 10's automation misfires: a 999,999-hour reminder delay was accepted (and shown as
// "P41666DT15H30M"), and a negative lifecycle day count crashed the page with a zod dump. Real
// PostgreSQL; the forms go through the same services the routes call.
import { describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { installDevShop } from "~/services/shops.server";
import { abandonedCartPage, saveAbandonedCartForm } from "~/services/automations/abandoned-cart-admin.server";
import { saveLifecycleForm } from "~/services/automations/lifecycle-settings.server";
import { readLifecycleSettings } from "~/db/settings/lifecycle.server";
import { uniqueShop } from "../support/shopify";

async function shop() {
  const domain = uniqueShop();
  await installDevShop({ domain });
  return db().shop.findUniqueOrThrow({ where: { domain } });
}

const form = (fields: Record<string, string | string[]>) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) for (const x of Array.isArray(v) ? v : [v]) f.append(k, x);
  return f;
};

describe("abandoned-cart card texts", () => {
  it("are saved per language; a button label past LINE's 40 characters (as users see them) is refused", async () => {
    const s = await shop();
    const base = { enabled: "on", delayHours: "1", delayMinutes: "0" };
    const ok = await saveAbandonedCartForm(
      s.domain,
      form({ ...base, heading_th: "ตะกร้าของคุณรออยู่", intro_th: "สินค้าใกล้หมดแล้ว", button_th: "ชำระเงินเลย", button_ja: "👨‍👩‍👧‍👦".repeat(40) }),
    );
    expect(ok.errors).toEqual({});
    expect((await abandonedCartPage(s.domain)).config).toMatchObject({
      heading: { th: "ตะกร้าของคุณรออยู่" },
      intro: { th: "สินค้าใกล้หมดแล้ว" },
      button: { th: "ชำระเงินเลย", ja: "👨‍👩‍👧‍👦".repeat(40) },
    });
    const bad = await saveAbandonedCartForm(s.domain, form({ ...base, button_en: "x".repeat(41), heading_ja: "あ".repeat(101) }));
    expect(bad.errors).toEqual({ button_en: "button_long", heading_ja: "heading_long" });
    expect((await abandonedCartPage(s.domain)).config.button).toEqual({ th: "ชำระเงินเลย", ja: "👨‍👩‍👧‍👦".repeat(40) });
  });
});

describe("abandoned-cart delay", () => {
  it.each([
    ["999999", "0", "delay_range"],
    ["720", "1", "delay_range"],
    ["0", "0", "delay_range"],
    ["-1", "0", "delay_whole"],
    ["1.5", "0", "delay_whole"],
  ])("%s h %s min is refused (%s) and nothing is saved", async (hours, minutes, code) => {
    const s = await shop();
    const before = await abandonedCartPage(s.domain);
    const { errors } = await saveAbandonedCartForm(s.domain, form({ enabled: "on", delayHours: hours, delayMinutes: minutes }));
    expect(errors).toEqual({ delay: code });
    expect((await abandonedCartPage(s.domain)).config.delay).toBe(before.config.delay);
  });

  it("1 minute and 30 days are the bounds; the page gets hours and minutes, not an ISO duration", async () => {
    const s = await shop();
    expect((await saveAbandonedCartForm(s.domain, form({ delayHours: "720", delayMinutes: "0" }))).errors).toEqual({});
    expect(await abandonedCartPage(s.domain)).toMatchObject({ delayHours: 720, delayMinutes: 0 });
    expect((await saveAbandonedCartForm(s.domain, form({ delayHours: "0", delayMinutes: "1" }))).errors).toEqual({});
    const page = await abandonedCartPage(s.domain);
    expect(page).toMatchObject({ delayHours: 0, delayMinutes: 1 });
    expect(page).not.toHaveProperty("delayIso");
  });
});

describe("lifecycle settings form", () => {
  it("a negative day count is a field error, not a crash; nothing is saved", async () => {
    const s = await shop();
    const { errors } = await saveLifecycleForm(s, "review", form({ enabled: "on", text: "How was it?", days: "-5" }));
    expect(errors).toEqual({ days: "days_range" });
    expect(readLifecycleSettings(await db().shop.findUniqueOrThrow({ where: { id: s.id } })).review).toMatchObject({
      enabled: false,
      afterDays: 5,
    });
  });

  it("segments are picked from the shop's own; another shop's segment is refused", async () => {
    const s = await shop();
    const other = await shop();
    const mine = await db().segment.create({ data: { shopId: s.id, name: "VIP", definition: {} } });
    const theirs = await db().segment.create({ data: { shopId: other.id, name: "Theirs", definition: {} } });
    expect(
      (await saveLifecycleForm(s, "winback", form({ text: "We miss you", days: "90", segmentIds: [String(mine.id), String(theirs.id)] })))
        .errors,
    ).toEqual({ segmentIds: "segment_unknown" });
    expect(
      (await saveLifecycleForm(s, "winback", form({ enabled: "on", text: "We miss you", days: "120", segmentIds: [String(mine.id)] })))
        .errors,
    ).toEqual({});
    expect(readLifecycleSettings(await db().shop.findUniqueOrThrow({ where: { id: s.id } })).winback).toMatchObject({
      enabled: true,
      dormantDays: 120,
      segmentIds: [mine.id],
      text: "We miss you",
    });
  });

  it.each([
    ["replenishment", "61"],
    ["review", "91"],
    ["winback", "6"],
    ["winback", "731"],
  ] as const)("%s: %s days is out of bounds", async (kind, days) => {
    const s = await shop();
    expect((await saveLifecycleForm(s, kind, form({ text: "x", days }))).errors).toEqual({ days: "days_range" });
  });

  it("an empty message is refused", async () => {
    const s = await shop();
    expect((await saveLifecycleForm(s, "welcome", form({ text: "  " }))).errors).toEqual({ text: "text_empty" });
  });
});

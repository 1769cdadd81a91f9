// Issue 10's automation misfires: a 999,999-hour reminder delay was accepted (and shown as
// "P41666DT15H30M"), and a negative lifecycle day count crashed the page with a zod dump. Real
// PostgreSQL; the forms go the routes' way: the schema beside the route (parseForm), then the service.
import { describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { installDevShop } from "~/services/shops.server";
import { abandonedCartPage, saveAbandonedCartPage } from "~/services/automations/abandoned-cart-admin.server";
import { saveLifecyclePage } from "~/services/automations/lifecycle-settings.server";
import { readLifecycleSettings } from "~/db/settings/lifecycle.server";
import { parseForm, type FormErrors } from "~/domain/forms/parse";
import type { LifecycleKind } from "~/domain/broadcasts/lifecycle";
import { AbandonedCartForm } from "~/routes/app.automations.abandoned-cart.schema";
import { LifecycleForm } from "~/routes/app.automations.lifecycle.schema";
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

/** What the abandoned-cart route's action does with a form: field errors, or saved. */
async function saveAbandonedCartForm(domain: string, f: FormData): Promise<{ errors: FormErrors }> {
  const parsed = parseForm(AbandonedCartForm, f);
  if (!parsed.ok) return { errors: parsed.errors };
  await saveAbandonedCartPage(domain, parsed.data);
  return { errors: {} };
}

/** The lifecycle route's action for one automation's fields (the other three keep valid defaults). */
async function saveLifecycleForm(s: { id: number }, kind: LifecycleKind, fields: Record<string, string | string[]>) {
  const current = readLifecycleSettings(await db().shop.findUniqueOrThrow({ where: { id: s.id } }));
  const all: Record<string, string | string[]> = {};
  for (const k of ["replenishment", "review", "winback", "welcome"] as const) {
    all[`${k}.text`] = current[k].text;
    all[`${k}.days`] = String(
      (current[k] as Record<string, unknown>)[
        { replenishment: "daysBefore", review: "afterDays", winback: "dormantDays", welcome: "" }[k]
      ] ?? "",
    );
  }
  for (const [f, v] of Object.entries(fields)) all[`${kind}.${f}`] = v;
  const parsed = parseForm(LifecycleForm, form(all));
  if (!parsed.ok) return { errors: parsed.errors };
  return saveLifecyclePage(s, parsed.data);
}

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
    expect(bad.errors).toEqual({ button_en: "automations.errors.button_long", heading_ja: "automations.errors.heading_long" });
    expect((await abandonedCartPage(s.domain)).config.button).toEqual({ th: "ชำระเงินเลย", ja: "👨‍👩‍👧‍👦".repeat(40) });
  });
});

describe("abandoned-cart delay", () => {
  it.each([
    ["999999", "0", "delayHours", "delay_range"],
    ["720", "1", "delayHours", "delay_range"],
    ["0", "0", "delayHours", "delay_range"],
    ["-1", "0", "delayHours", "delay_whole"],
    ["1.5", "0", "delayHours", "delay_whole"],
    ["1", "60", "delayMinutes", "delay_whole"],
  ])("%s h %s min is refused (%s: %s) and nothing is saved", async (hours, minutes, field, code) => {
    const s = await shop();
    const before = await abandonedCartPage(s.domain);
    const { errors } = await saveAbandonedCartForm(s.domain, form({ enabled: "on", delayHours: hours, delayMinutes: minutes }));
    expect(errors).toEqual({ [field]: `automations.errors.${code}` });
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
    const { errors } = await saveLifecycleForm(s, "review", { enabled: "on", text: "How was it?", days: "-5" });
    expect(errors).toEqual({ "review.days": "automations.lifecycle.errors.days_range" });
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
      (await saveLifecycleForm(s, "winback", { text: "We miss you", days: "90", segmentIds: [String(mine.id), String(theirs.id)] })).errors,
    ).toEqual({ "winback.segmentIds": "automations.lifecycle.errors.segment_unknown" });
    expect(
      (await saveLifecycleForm(s, "winback", { enabled: "on", text: "We miss you", days: "120", segmentIds: [String(mine.id)] })).errors,
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
    expect((await saveLifecycleForm(s, kind, { text: "x", days })).errors).toEqual({
      [`${kind}.days`]: "automations.lifecycle.errors.days_range",
    });
  });

  it("an empty message is refused", async () => {
    const s = await shop();
    expect((await saveLifecycleForm(s, "welcome", { text: "  " })).errors).toEqual({
      "welcome.text": "automations.lifecycle.errors.text_empty",
    });
  });
});

describe("messaging policy on the abandoned-cart page", () => {
  it("quiet hours must be HH:MM and differ; the cap is 1–100 messages in 1–90 days; the fields get the errors", async () => {
    const s = await shop();
    const base = { delayHours: "1", quietEnabled: "on", capEnabled: "on" };
    expect(
      (await saveAbandonedCartForm(s.domain, form({ ...base, quietStart: "25:00", quietEnd: "9", capMax: "0", capWindowDays: "91" })))
        .errors,
    ).toEqual({
      quietStart: "automations.errors.quiet_format",
      quietEnd: "automations.errors.quiet_format",
      capMax: "automations.errors.cap_max",
      capWindowDays: "automations.errors.cap_days",
    });
    expect(
      (await saveAbandonedCartForm(s.domain, form({ ...base, quietStart: "21:00", quietEnd: "21:00", capMax: "2", capWindowDays: "7" })))
        .errors,
    ).toEqual({
      quietEnd: "automations.errors.quiet_same",
    });
    expect(
      (await saveAbandonedCartForm(s.domain, form({ ...base, quietStart: "21:00", quietEnd: "09:00", capMax: "2", capWindowDays: "7" })))
        .errors,
    ).toEqual({});
    expect((await abandonedCartPage(s.domain)).policy).toEqual({
      quietHours: { start: "21:00", end: "09:00" },
      frequencyCap: { max: 2, windowDays: 7 },
    });
  });
});

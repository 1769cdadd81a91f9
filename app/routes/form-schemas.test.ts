// The admin routes' form schemas (app/routes/*.schema.ts): what each accepts and refuses, and that
// every message key they can return exists in all four admin languages.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseForm } from "~/domain/forms/parse";
import { AssistantModelForm, LineChannelForm, LinePlanForm } from "./app.settings.schema";
import { CreateMenuForm } from "./app.rich-menus._index.schema";
import { ConsentForm } from "./app.settings_.consent.schema";
import { AutomationToggleForm } from "./app.automations._index.schema";
import { LifecycleForm } from "./app.automations.lifecycle.schema";
import { AbandonedCartForm } from "./app.automations.abandoned-cart.schema";

const form = (fields: Record<string, string>) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.set(k, v);
  return f;
};

describe("Settings: LINE channel", () => {
  const valid = { channelId: "2000000001", channelSecret: "s", channelAccessToken: "t" };
  it("accepts a channel, with or without a LINE Login pair", () => {
    expect(parseForm(LineChannelForm, form(valid))).toMatchObject({ ok: true, data: { ...valid, loginChannelId: "" } });
    expect(parseForm(LineChannelForm, form({ ...valid, loginChannelId: "1", loginChannelSecret: "x" })).ok).toBe(true);
  });
  it("refuses every missing or malformed field at once", () => {
    expect(parseForm(LineChannelForm, form({ channelId: "abc", loginChannelId: "1" }))).toEqual({
      ok: false,
      errors: {
        channelId: "settings.line.errors.channelId",
        channelSecret: "settings.line.errors.required",
        channelAccessToken: "settings.line.errors.accessToken",
        loginChannelSecret: "settings.line.errors.loginPair",
      },
    });
  });
  it("reads the plan choice", () => {
    expect(parseForm(LinePlanForm, form({ region: "TW", planId: "light" }))).toEqual({ ok: true, data: { region: "TW", planId: "light" } });
  });
});

describe("Rich menus: create", () => {
  it("needs a name and a known template", () => {
    expect(parseForm(CreateMenuForm, form({ name: " Main ", template: "large-6" }))).toEqual({
      ok: true,
      data: { name: "Main", template: "large-6" },
    });
    expect(parseForm(CreateMenuForm, form({ name: " ", template: "nope" }))).toEqual({
      ok: false,
      errors: { name: "richMenus.create.errors.nameRequired", template: "richMenus.create.errors.templateRequired" },
    });
  });
});

describe("form message keys", () => {
  const keys = [
    "forms.errors.invalid",
    "forms.errors.tooSmall",
    "forms.errors.tooBig",
    "forms.errors.invalidChoice",
    "settings.line.errors.channelId",
    "settings.line.errors.required",
    "settings.line.errors.accessToken",
    "settings.line.errors.loginPair",
    "settings.plan.invalid",
    "richMenus.create.errors.nameRequired",
    "richMenus.create.errors.templateRequired",
    "richMenus.create.errors.nameTaken",
    // Consent refusals are the domain's codes (ConsentSettingsErrorCode) under consentSettings.errors.
    ...["noOptOutKeyword", "tooManyKeywords", "keywordTooLong", "keywordInBoth", "replyEmpty", "replyTooLong"].map(
      (code) => `consentSettings.errors.${code}`,
    ),
    // Every message key written out in a schema beside a route.
    ...fs
      .readdirSync(import.meta.dirname)
      .filter((f) => f.endsWith(".schema.ts"))
      .flatMap((f) =>
        [...fs.readFileSync(path.join(import.meta.dirname, f), "utf8").matchAll(/"(\w+(?:\.\w+)*\.errors\.\w+)"/g)].map((m) => m[1]!),
      ),
  ];
  it.each(["en", "ja", "zh-TW", "th"])("exist in %s", (lng) => {
    const admin = JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, `../locales/${lng}/admin.json`), "utf8")) as object;
    const missing = keys.filter(
      (k) => typeof k.split(".").reduce<unknown>((o, p) => (o as Record<string, unknown>)?.[p], admin) !== "string",
    );
    expect(missing).toEqual([]);
  });
});

describe("Settings: consent", () => {
  const valid = {
    optOutKeywords: "STOP\n停止",
    optInKeywords: "START",
    optOutReply: "Stopped.",
    optInReply: "Welcome back.",
    mirrorShopify: "true",
  };
  it("reads the keywords one per line and the mirror flag", () => {
    expect(parseForm(ConsentForm, form(valid))).toEqual({
      ok: true,
      data: {
        optOutKeywords: ["STOP", "停止"],
        optInKeywords: ["START"],
        optOutReply: "Stopped.",
        optInReply: "Welcome back.",
        mirrorShopify: true,
      },
    });
    expect(parseForm(ConsentForm, form({ ...valid, mirrorShopify: "false" }))).toMatchObject({ ok: true, data: { mirrorShopify: false } });
  });
  it("refuses with the field's message key: no stop word, a word in both lists, an empty reply", () => {
    expect(parseForm(ConsentForm, form({ ...valid, optOutKeywords: " ", optInKeywords: "start", optInReply: "" }))).toEqual({
      ok: false,
      errors: { optOutKeywords: "consentSettings.errors.noOptOutKeyword", optInReply: "consentSettings.errors.replyEmpty" },
    });
    expect(parseForm(ConsentForm, form({ ...valid, optInKeywords: "stop" }))).toEqual({
      ok: false,
      errors: { optInKeywords: "consentSettings.errors.keywordInBoth" },
    });
  });
});

describe("Automations: list switch", () => {
  it("accepts the abandoned cart on/off and nothing else", () => {
    expect(parseForm(AutomationToggleForm, form({ kind: "abandoned_cart", enabled: "false" }))).toEqual({
      ok: true,
      data: { kind: "abandoned_cart", enabled: false },
    });
    expect(parseForm(AutomationToggleForm, form({ kind: "lifecycle", enabled: "yes" }))).toEqual({
      ok: false,
      errors: { kind: "forms.errors.invalidChoice", enabled: "forms.errors.invalidChoice" },
    });
  });
});

describe("Automations: lifecycle page", () => {
  const fields = {
    "replenishment.text": "Running low?",
    "replenishment.days": "3",
    "review.text": "How was it?",
    "review.days": "5",
    "review.enabled": "on",
    "winback.text": "We miss you",
    "winback.days": "90",
    "welcome.text": "Welcome!",
  };
  it("reads the four automations, days as whole numbers within their bounds", () => {
    const f = form(fields);
    f.append("review.segmentIds", "4");
    f.append("review.segmentIds", "7");
    expect(parseForm(LifecycleForm, f)).toEqual({
      ok: true,
      data: {
        replenishment: { enabled: false, text: "Running low?", segmentIds: [], daysBefore: 3 },
        review: { enabled: true, text: "How was it?", segmentIds: [4, 7], afterDays: 5 },
        winback: { enabled: false, text: "We miss you", segmentIds: [], dormantDays: 90 },
        welcome: { enabled: false, text: "Welcome!", segmentIds: [] },
      },
    });
  });
  it("puts each refusal on its field", () => {
    expect(parseForm(LifecycleForm, form({ ...fields, "review.days": "-5", "winback.days": "1e3", "welcome.text": " " }))).toEqual({
      ok: false,
      errors: {
        "review.days": "automations.lifecycle.errors.days_range",
        "winback.days": "automations.lifecycle.errors.days_range",
        "welcome.text": "automations.lifecycle.errors.text_empty",
      },
    });
  });
});

describe("Automations: abandoned cart", () => {
  it("the delay is whole hours (at most 720) and minutes; stored as milliseconds", () => {
    expect(parseForm(AbandonedCartForm, form({ delayHours: "2", delayMinutes: "30", enabled: "on" }))).toMatchObject({
      ok: true,
      data: { enabled: true, delayMs: 9_000_000, policy: { quietHours: null, frequencyCap: null } },
    });
    expect(parseForm(AbandonedCartForm, form({ delayHours: "1e6", delayMinutes: "" }))).toEqual({
      ok: false,
      errors: { delayHours: "automations.errors.delay_whole" },
    });
  });
});

describe("Settings: segment assistant model", () => {
  it("an http(s) base URL (trailing slashes dropped) and a model when on; an empty key keeps the stored one", () => {
    expect(parseForm(AssistantModelForm, form({ enabled: "on", baseUrl: "https://llm.example/v1/", model: "m", apiKey: "" }))).toEqual({
      ok: true,
      data: { enabled: true, baseUrl: "https://llm.example/v1", model: "m", apiKey: undefined },
    });
    expect(parseForm(AssistantModelForm, form({ baseUrl: "", model: "", removeApiKey: "on" }))).toEqual({
      ok: true,
      data: { enabled: false, baseUrl: "", model: "", apiKey: "" },
    });
  });
  it("refuses a non-http URL and a missing model with the fields' messages", () => {
    expect(parseForm(AssistantModelForm, form({ enabled: "on", baseUrl: "javascript:alert(1)", model: " " }))).toEqual({
      ok: false,
      errors: { baseUrl: "assistant.settings.errors.baseUrl", model: "assistant.settings.errors.model" },
    });
  });
});

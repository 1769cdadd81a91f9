// The form and search-param schemas of the broadcast, integration, assistant, sync-health, product
// picker and dashboard routes (app/routes/*.schema.ts): what each accepts and refuses, with the
// message keys, and that every key they can return exists in all four admin languages.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseForm, parseSearchParams } from "~/domain/forms/parse";
import { BroadcastParams } from "./app.broadcasts.$id.schema";
import { TestFriendForm, TestFriendSearch } from "./app.broadcasts.test-friends.schema";
import { IntegrationForm } from "./app.integrations.schema";
import { AssistantForm } from "./app.assistant.schema";
import { AssistantModelForm as AssistantSettingsForm } from "./app.settings.schema";
import { SyncHealthForm, SyncHealthQuery } from "./app.sync-health.schema";
import { ProductsQuery } from "./app.products.schema";
import { DashboardQuery } from "./app.dashboard.schema";
import { ComposeForm } from "./app.broadcasts.new.schema";

const form = (fields: Record<string, string | string[]>) => {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) for (const x of Array.isArray(v) ? v : [v]) f.append(k, x);
  return f;
};
const url = (q: string) => new URL(`https://app.example/app/x${q}`);

describe("ids in URLs and forms (formId)", () => {
  it("a broadcast id is digits only, within PostgreSQL's int", () => {
    expect(parseSearchParams(BroadcastParams, { id: "42" })).toEqual({ ok: true, data: { id: 42 } });
    for (const bad of ["0", "-1", "1e3", " 7x", "abc", "2147483648", "007", ""])
      expect(parseSearchParams(BroadcastParams, { id: bad }), bad).toEqual({ ok: false, errors: { id: "forms.errors.invalid" } });
    expect(parseSearchParams(BroadcastParams, {})).toEqual({ ok: false, errors: { id: "forms.errors.invalid" } });
  });
});

describe("Broadcasts: test friends", () => {
  it("adds or removes one friend by id", () => {
    expect(parseForm(TestFriendForm, form({ friendId: "9", testFriend: "true" }))).toEqual({
      ok: true,
      data: { friendId: 9, testFriend: true },
    });
    expect(parseForm(TestFriendForm, form({ friendId: "9", testFriend: "false" }))).toEqual({
      ok: true,
      data: { friendId: 9, testFriend: false },
    });
    expect(parseForm(TestFriendForm, form({ friendId: "x", testFriend: "yes" }))).toEqual({
      ok: false,
      errors: { friendId: "forms.errors.invalid", testFriend: "forms.errors.invalidChoice" },
    });
  });
  it("a search is cut to 100 characters, never refused", () => {
    expect(parseSearchParams(TestFriendSearch, url(`?query=${"a".repeat(300)}`))).toEqual({ ok: true, data: { query: "a".repeat(100) } });
    expect(parseSearchParams(TestFriendSearch, url(""))).toEqual({ ok: true, data: { query: "" } });
  });
});

describe("Integrations", () => {
  it("connect needs a credential; the property is optional", () => {
    expect(
      parseForm(IntegrationForm, form({ intent: "connect", provider: "hubspot", credential: " pat ", lineUserIdProperty: "" })),
    ).toEqual({
      ok: true,
      data: { intent: "connect", provider: "hubspot", credential: "pat", lineUserIdProperty: "" },
    });
    expect(parseForm(IntegrationForm, form({ intent: "connect", provider: "hubspot", credential: " " }))).toEqual({
      ok: false,
      errors: { credential: "integrations.credentialRequired" },
    });
    expect(parseForm(IntegrationForm, form({ intent: "connect", provider: "hubspot", credential: "x".repeat(501) }))).toEqual({
      ok: false,
      errors: { credential: "integrations.errors.credential" },
    });
  });
  it("an unknown provider or button is refused", () => {
    expect(parseForm(IntegrationForm, form({ intent: "sync", provider: "mailchimp" }))).toEqual({
      ok: false,
      errors: { provider: "integrations.errors.provider" },
    });
    expect(parseForm(IntegrationForm, form({ intent: "delete-everything", provider: "hubspot" }))).toEqual({
      ok: false,
      errors: { intent: "integrations.errors.intent" },
    });
    expect(parseForm(IntegrationForm, form({ intent: "test", provider: "klaviyo" }))).toEqual({
      ok: true,
      data: { intent: "test", provider: "klaviyo" },
    });
  });
  it("the save bar sends the changed providers' properties only; '' is none", () => {
    expect(
      parseForm(
        IntegrationForm,
        form({ intent: "lineUserIdProperty", "lineUserIdProperty.hubspot": " line_id ", "lineUserIdProperty.klaviyo": "" }),
      ),
    ).toEqual({
      ok: true,
      data: {
        intent: "lineUserIdProperty",
        properties: [
          { provider: "hubspot", property: "line_id" },
          { provider: "klaviyo", property: null },
        ],
      },
    });
    expect(parseForm(IntegrationForm, form({ intent: "lineUserIdProperty", "lineUserIdProperty.klaviyo": "x".repeat(101) }))).toEqual({
      ok: false,
      errors: { "lineUserIdProperty.klaviyo": "integrations.errors.property" },
    });
  });
});

describe("Assistant chat", () => {
  it("propose: the goal is required and bounded; mode and locale fall back", () => {
    expect(
      parseForm(AssistantForm, form({ intent: "propose", text: " VIPs ", mode: "consult", locale: "ja", conversationId: "3" })),
    ).toEqual({
      ok: true,
      data: { intent: "propose", text: "VIPs", mode: "consult", locale: "ja", conversationId: 3 },
    });
    expect(parseForm(AssistantForm, form({ intent: "propose", text: "x", mode: "yolo", locale: "fr" }))).toEqual({
      ok: true,
      data: { intent: "propose", text: "x", mode: "auto", locale: undefined, conversationId: undefined },
    });
    expect(parseForm(AssistantForm, form({ intent: "propose", text: "  ", conversationId: "abc" }))).toEqual({
      ok: false,
      errors: { text: "assistant.errors.textRequired", conversationId: "forms.errors.invalid" },
    });
    expect(parseForm(AssistantForm, form({ intent: "propose", text: "x".repeat(2001) }))).toEqual({
      ok: false,
      errors: { text: "assistant.errors.textTooLong" },
    });
  });
  it("approve and cancel need the conversation; a name is bounded, '' keeps the proposed one", () => {
    expect(parseForm(AssistantForm, form({ intent: "approve", conversationId: "5", name: "" }))).toEqual({
      ok: true,
      data: { intent: "approve", conversationId: 5, name: undefined },
    });
    expect(parseForm(AssistantForm, form({ intent: "approve", conversationId: "", name: "n".repeat(101) }))).toEqual({
      ok: false,
      errors: { conversationId: "forms.errors.invalid", name: "assistant.errors.nameTooLong" },
    });
    expect(parseForm(AssistantForm, form({ intent: "cancel" }))).toEqual({ ok: false, errors: { conversationId: "forms.errors.invalid" } });
    expect(parseForm(AssistantForm, form({ intent: "other" }))).toEqual({ ok: false, errors: { intent: "forms.errors.invalidChoice" } });
  });
});

describe("Settings: assistant model", () => {
  it("an enabled model needs an http(s) base URL and a model name", () => {
    expect(
      parseForm(AssistantSettingsForm, form({ enabled: "on", baseUrl: "https://api.example.com/v1/", model: "m", apiKey: "" })),
    ).toEqual({
      ok: true,
      data: { enabled: true, baseUrl: "https://api.example.com/v1", model: "m", apiKey: undefined },
    });
    expect(parseForm(AssistantSettingsForm, form({ enabled: "on", baseUrl: "", model: "" }))).toEqual({
      ok: false,
      errors: { baseUrl: "assistant.settings.errors.baseUrl", model: "assistant.settings.errors.model" },
    });
    expect(parseForm(AssistantSettingsForm, form({ baseUrl: "javascript:alert(1)", model: "" }))).toEqual({
      ok: false,
      errors: { baseUrl: "assistant.settings.errors.baseUrl" },
    });
  });
  it("off with nothing set is fine; the key is kept, replaced or removed", () => {
    expect(parseForm(AssistantSettingsForm, form({}))).toEqual({
      ok: true,
      data: { enabled: false, baseUrl: "", model: "", apiKey: undefined },
    });
    expect(
      parseForm(AssistantSettingsForm, form({ apiKey: " sk-1 " })).ok && parseForm(AssistantSettingsForm, form({ apiKey: " sk-1 " })),
    ).toMatchObject({
      data: { apiKey: "sk-1" },
    });
    expect(parseForm(AssistantSettingsForm, form({ apiKey: "sk-1", removeApiKey: "on" }))).toMatchObject({
      ok: true,
      data: { apiKey: "" },
    });
    expect(parseForm(AssistantSettingsForm, form({ model: "m".repeat(201), apiKey: "k".repeat(501) }))).toEqual({
      ok: false,
      errors: { model: "assistant.settings.errors.modelLength", apiKey: "assistant.settings.errors.apiKeyLength" },
    });
  });
});

describe("Sync health", () => {
  it("retry needs a delivery id; backfill needs nothing; anything else is refused", () => {
    expect(parseForm(SyncHealthForm, form({ intent: "retry", deliveryId: "12" }))).toEqual({
      ok: true,
      data: { intent: "retry", deliveryId: 12 },
    });
    expect(parseForm(SyncHealthForm, form({ intent: "retry", deliveryId: "-12" }))).toEqual({
      ok: false,
      errors: { deliveryId: "forms.errors.invalid" },
    });
    expect(parseForm(SyncHealthForm, form({ intent: "backfill" }))).toEqual({ ok: true, data: { intent: "backfill" } });
    expect(parseForm(SyncHealthForm, form({}))).toEqual({ ok: false, errors: { intent: "forms.errors.invalidChoice" } });
  });
  it("?export= is an id or absent", () => {
    expect(parseSearchParams(SyncHealthQuery, url("?export=8"))).toEqual({ ok: true, data: { export: 8 } });
    expect(parseSearchParams(SyncHealthQuery, url(""))).toEqual({ ok: true, data: { export: undefined } });
    expect(parseSearchParams(SyncHealthQuery, url("?export=../etc"))).toEqual({ ok: false, errors: { export: "forms.errors.invalid" } });
  });
});

describe("Product picker", () => {
  it("?ids= lists product ids (at most 200); else ?q= searches, cut to 100 characters", () => {
    expect(parseSearchParams(ProductsQuery, url("?ids=1,%2022"))).toEqual({ ok: true, data: { ids: ["1", "22"], q: "" } });
    expect(parseSearchParams(ProductsQuery, url("?ids="))).toEqual({ ok: true, data: { ids: [], q: "" } });
    expect(parseSearchParams(ProductsQuery, url(`?q=${"t".repeat(150)}`))).toEqual({
      ok: true,
      data: { ids: undefined, q: "t".repeat(100) },
    });
    expect(parseSearchParams(ProductsQuery, url("?ids=1,x"))).toEqual({ ok: false, errors: { "ids.1": "forms.errors.invalid" } });
    const many = Array.from({ length: 201 }, (_, i) => i + 1).join(",");
    expect(parseSearchParams(ProductsQuery, url(`?ids=${many}`))).toEqual({ ok: false, errors: { ids: "forms.errors.tooBig" } });
  });
});

describe("ROI dashboard", () => {
  it("?days= is one of the offered ranges, else the default 30", () => {
    expect(parseSearchParams(DashboardQuery, url("?days=7"))).toEqual({ ok: true, data: { days: 7 } });
    expect(parseSearchParams(DashboardQuery, url("?days=90"))).toEqual({ ok: true, data: { days: 90 } });
    for (const q of ["", "?days=365", "?days=abc", "?days=-7", "?days=30.5"])
      expect(parseSearchParams(DashboardQuery, url(q)), q).toEqual({ ok: true, data: { days: 30 } });
  });
});

describe("form message keys of these routes", () => {
  const keys = [
    "forms.errors.invalid",
    "forms.errors.tooBig",
    "forms.errors.invalidChoice",
    "integrations.credentialRequired",
    "integrations.errors.provider",
    "integrations.errors.intent",
    "integrations.errors.credential",
    "integrations.errors.property",
    "integrations.errors.notConnected",
    "assistant.settings.errors.baseUrl",
    "assistant.settings.errors.model",
    "assistant.settings.errors.modelLength",
    "assistant.settings.errors.apiKeyLength",
    "assistant.errors.textRequired",
    "assistant.errors.textTooLong",
    "assistant.errors.nameTooLong",
    // AssistantError codes, shown as assistant.errors.<code>
    "assistant.errors.not_found",
    "assistant.errors.closed",
    "assistant.errors.no_proposal",
    "assistant.errors.invalid",
    "broadcasts.test.errors.friendNotFound",
    "notFound.broadcast.heading",
    "notFound.broadcast.back",
  ];
  it.each(["en", "ja", "zh-TW", "th"])("exist in %s", (lng) => {
    const admin = JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, `../locales/${lng}/admin.json`), "utf8")) as object;
    const missing = keys.filter(
      (k) => typeof k.split(".").reduce<unknown>((o, p) => (o as Record<string, unknown>)?.[p], admin) !== "string",
    );
    expect(missing).toEqual([]);
  });
});

describe("Broadcasts: composer", () => {
  const blocks = JSON.stringify([{ kind: "text", text: "Hello {{displayName}}" }]);
  const base = { intent: "send", name: " Sale ", blocks, segmentIds: ["3", "4"] };
  it("reads the messages, the audience and the options", () => {
    expect(parseForm(ComposeForm, form({ ...base, excludeSegmentIds: "5", trimToFit: "on", date: "2026-12-24", time: "10:00" }))).toEqual({
      ok: true,
      data: {
        intent: "send",
        name: "Sale",
        blocks: [{ kind: "text", text: "Hello {{displayName}}" }],
        audience: { segmentIds: [3, 4], excludeSegmentIds: [5], allFriends: false },
        trimToFit: true,
        date: "2026-12-24",
        time: "10:00",
        ab: null,
      },
    });
  });
  it("unreadable messages are null (the page asks for a message), not a crash", () => {
    for (const bad of ["{", '[{"kind":"nope"}]', ""])
      expect(parseForm(ComposeForm, form({ ...base, blocks: bad })), bad).toMatchObject({ ok: true, data: { blocks: bad ? null : [] } });
  });
  it("sending needs a name and an audience; a test send needs neither", () => {
    expect(parseForm(ComposeForm, form({ intent: "review", name: "", blocks }))).toEqual({
      ok: false,
      errors: { name: "broadcasts.errors.name", audience: "broadcasts.errors.audience" },
    });
    expect(parseForm(ComposeForm, form({ intent: "test", name: "", blocks })).ok).toBe(true);
    expect(parseForm(ComposeForm, form({ ...base, segmentIds: ["3", "x"] }))).toEqual({
      ok: false,
      errors: { "segmentIds.1": "broadcasts.errors.audience" },
    });
    expect(parseForm(ComposeForm, form({ ...base, intent: "launch" }))).toEqual({
      ok: false,
      errors: { intent: "broadcasts.errors.unknownAction" },
    });
    expect(parseForm(ComposeForm, form({ ...base, name: "n".repeat(201) }))).toEqual({
      ok: false,
      errors: { name: "broadcasts.errors.nameTooLong" },
    });
  });
  it("A/B: variant B's text, a share in (0, 100] % and at most 720 hours", () => {
    const ab = { ...base, abEnabled: "on", abVariantBText: "B", abTestShare: "25", abHours: "48", abMetric: "order", abSendWinner: "on" };
    expect(parseForm(ComposeForm, form(ab))).toMatchObject({
      ok: true,
      data: { ab: { variantBText: "B", testShare: 0.25, metric: "order", decideAfterHours: 48, sendWinnerToRest: true } },
    });
    expect(parseForm(ComposeForm, form({ ...ab, abVariantBText: " " }))).toEqual({
      ok: false,
      errors: { ab: "broadcasts.errors.ab_variantB" },
    });
    for (const share of ["0", "101", "-5", "abc"])
      expect(parseForm(ComposeForm, form({ ...ab, abTestShare: share })), share).toEqual({
        ok: false,
        errors: { ab: "broadcasts.errors.ab_share" },
      });
    for (const hours of ["721", "999999", "-1", "1e3"])
      expect(parseForm(ComposeForm, form({ ...ab, abHours: hours })), hours).toEqual({
        ok: false,
        errors: { ab: "broadcasts.errors.ab_hours" },
      });
  });
  it.each(["en", "ja", "zh-TW", "th"])("its message keys exist in %s", (lng) => {
    const admin = JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, `../locales/${lng}/admin.json`), "utf8")) as object;
    const keys = ["name", "nameTooLong", "audience", "unknownAction", "ab_variantB", "ab_share", "ab_hours", "schedule_date"].map(
      (c) => `broadcasts.errors.${c}`,
    );
    expect(
      keys.filter((k) => typeof k.split(".").reduce<unknown>((o, p) => (o as Record<string, unknown>)?.[p], admin) !== "string"),
    ).toEqual([]);
  });
});

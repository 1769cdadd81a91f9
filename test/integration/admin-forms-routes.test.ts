// Issue 13 through the real loaders/actions (sandbox admin auth, real PostgreSQL): ids in URLs and
// forms are parsed and checked against the shop, refusals are FormErrors keys (never English text or
// a 500), and loader query strings fall back to sane values.
import { beforeAll, describe, expect, it } from "vitest";
import { resetEnv } from "~/config/env.server";
import { sandboxCookie } from "~/adapters/shopify/admin-auth.server";
import { db } from "~/db.server";
import { installDevShop } from "~/services/shops.server";
import { createBroadcast } from "~/services/broadcasts/broadcasts.server";
import * as report from "~/routes/app.broadcasts.$id";
import * as testFriends from "~/routes/app.broadcasts.test-friends";
import * as settingsRoute from "~/routes/app.settings";
import * as assistant from "~/routes/app.assistant";
import * as dashboard from "~/routes/app.dashboard";
import * as products from "~/routes/app.products";
import { uniqueShop } from "../support/shopify";

const mine = uniqueShop("forms-mine");
const theirs = uniqueShop("forms-theirs");
let shopId: number;
let theirBroadcast: number;
let theirFriend: number;

beforeAll(async () => {
  process.env.SANDBOX_AUTH = "1";
  resetEnv();
  await installDevShop({ domain: mine });
  await installDevShop({ domain: theirs });
  shopId = (await db().shop.findUniqueOrThrow({ where: { domain: mine } })).id;
  const otherId = (await db().shop.findUniqueOrThrow({ where: { domain: theirs } })).id;
  theirBroadcast = (
    await createBroadcast({ shopId: otherId, name: "Theirs", messages: [{ type: "text", text: "hi" }], audience: { allFriends: true } })
  ).id;
  theirFriend = (await db().friend.create({ data: { shopId: otherId, lineUserId: "U" + "f".repeat(32), displayName: "T" } })).id;
});

const base = "https://my-test-app.myshopify.io";
async function call(
  fn: (args: never) => Promise<unknown>,
  path: string,
  opts: { body?: Record<string, string>; params?: Record<string, string> } = {},
) {
  const request = new Request(`${base}${path}`, {
    method: opts.body ? "POST" : "GET",
    headers: { cookie: sandboxCookie(mine) },
    ...(opts.body ? { body: new URLSearchParams(opts.body) } : {}),
  });
  try {
    return (await fn({ request, params: opts.params ?? {}, context: {} } as never)) as Response;
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

describe("broadcast report /app/broadcasts/:id", () => {
  it("a malformed id or another shop's broadcast is a 404, for the page and for Cancel", async () => {
    for (const id of ["abc", "1e3", "-1", "99999999999", String(theirBroadcast)]) {
      expect((await call(report.loader, `/app/broadcasts/${id}`, { params: { id } })).status, id).toBe(404);
      expect((await call(report.action, `/app/broadcasts/${id}`, { params: { id }, body: {} })).status, id).toBe(404);
    }
    expect((await db().broadcast.findUniqueOrThrow({ where: { id: theirBroadcast } })).status).toBe("draft");
  });
});

describe("test friends /app/broadcasts/test-friends", () => {
  it("refuses a malformed form on its fields and another shop's friend as not found", async () => {
    const bad = await call(testFriends.action, "/app/broadcasts/test-friends", { body: { friendId: "1 OR 1=1", testFriend: "maybe" } });
    expect(bad.status).toBe(422);
    expect(await bad.json()).toMatchObject({
      ok: false,
      errors: { friendId: "forms.errors.invalid", testFriend: "forms.errors.invalidChoice" },
    });
    const other = await call(testFriends.action, "/app/broadcasts/test-friends", {
      body: { friendId: String(theirFriend), testFriend: "true" },
    });
    expect(other.status).toBe(404);
    expect(await other.json()).toMatchObject({ ok: false, errors: { friendId: "broadcasts.test.errors.friendNotFound" } });
    expect((await db().friend.findUniqueOrThrow({ where: { id: theirFriend } })).testFriend).toBe(false);
  });
});

describe("assistant model settings (Settings, intent assistant)", () => {
  it("refusals are message keys on the fields; a valid save is stored", async () => {
    const bad = await call(settingsRoute.action, "/app/settings", {
      body: { intent: "assistant", enabled: "on", baseUrl: "not a url", model: "" },
    });
    expect(bad.status).toBe(422);
    expect(await bad.json()).toMatchObject({
      errors: { baseUrl: "assistant.settings.errors.baseUrl", model: "assistant.settings.errors.model" },
    });
    const ok = await call(settingsRoute.action, "/app/settings", {
      body: { intent: "assistant", enabled: "on", baseUrl: "https://llm.example/v1/", model: "m1", apiKey: "sk-1" },
    });
    expect(await ok.json()).toMatchObject({
      assistantSaved: true,
      assistant: { enabled: true, baseUrl: "https://llm.example/v1", model: "m1", hasApiKey: true },
    });
    // An empty key field keeps the stored key.
    await call(settingsRoute.action, "/app/settings", {
      body: { intent: "assistant", enabled: "on", baseUrl: "https://llm.example/v1", model: "m2" },
    });
    expect(await db().assistantSetting.findUniqueOrThrow({ where: { shopId } })).toMatchObject({
      model: "m2",
      apiKeyEnc: expect.any(String),
    });
  });
});

describe("assistant chat /app/assistant", () => {
  it("an empty goal and another shop's conversation are refused with message keys", async () => {
    const empty = await call(assistant.action, "/app/assistant", { body: { intent: "propose", text: "   " } });
    expect(empty.status).toBe(422);
    expect(await empty.json()).toMatchObject({ errors: { text: "assistant.errors.textRequired" } });
    const unknown = await call(assistant.action, "/app/assistant", { body: { intent: "cancel", conversationId: "2147483647" } });
    expect(unknown.status).toBe(422);
    expect(await unknown.json()).toMatchObject({ errors: { form: "assistant.errors.not_found" } });
    const other = await call(assistant.action, "/app/assistant", { body: { intent: "wipe" } });
    expect(other.status).toBe(400);
  });
});

describe("loader query strings", () => {
  it("the dashboard's range falls back to 30 days; the product picker refuses malformed ids", async () => {
    expect(await (await call(dashboard.loader, "/app/dashboard?days=365")).json()).toMatchObject({ days: 30 });
    expect(await (await call(dashboard.loader, "/app/dashboard?days=7")).json()).toMatchObject({ days: 7 });
    const bad = await call(products.loader, "/app/products?ids=1,drop");
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ products: [], errors: { "ids.1": "forms.errors.invalid" } });
    expect(await (await call(products.loader, "/app/products?ids=")).json()).toEqual({ products: [] });
  });
});

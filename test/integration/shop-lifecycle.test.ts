// Real shops: install through Shopify's token exchange (afterAuth) with the shop's settings read over
// Admin GraphQL, both answered at the network boundary (Shopify's abstract fetch); app/uninstalled
// ordered by when Shopify triggered it; shop/update keeping the settings current. Deliveries are
// genuinely signed (Shopify's test helpers) and processed by the same code the worker runs.
import { beforeAll, describe, expect, it } from "vitest";
import { setAbstractFetchFunc } from "@shopify/shopify-api/runtime";
import { setUpValidRequest, RequestType, API_KEY, API_SECRET_KEY } from "@shopify/shopify-api/test-helpers";
import { db } from "~/db.server";
import { authenticate } from "~/shopify.server";
import { env } from "~/config/env.server";
import { processDelivery } from "~/services/shopify-webhook-processing.server";
import { action as uninstalledAction } from "~/routes/webhooks.app.uninstalled";
import { action as shopUpdateAction } from "~/routes/webhooks.shop.update";
import { action as settingsAction, loader as settingsLoader } from "~/routes/app.settings";
import { estimateBroadcast } from "~/services/broadcasts/broadcasts.server";
import { signedWebhook, uniqueShop } from "../support/shopify";

interface FakeShop {
  token: number;
  revoked: Set<string>;
  settings: Record<string, unknown>;
  locales: Array<{ locale: string; primary: boolean }> | "denied";
  graphql: string[];
}
const shops = new Map<string, FakeShop>();

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });

/** Shopify as the app sees it: token exchange and Admin GraphQL, per shop. */
async function fakeShopify(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const url = new URL(String(input instanceof Request ? input.url : input));
  const shop = shops.get(url.hostname);
  if (!shop) return json({ errors: "Not Found" }, 404);
  const headers = new Headers(init?.headers);
  if (url.pathname === "/admin/oauth/access_token") {
    shop.token++;
    return json({ access_token: `shpat_${url.hostname}_${shop.token}`, scope: env().SCOPES });
  }
  if (!url.pathname.endsWith("/graphql.json")) return json({ errors: "Not Found" }, 404);
  if (shop.revoked.has(headers.get("X-Shopify-Access-Token") ?? "")) return json({ errors: "[API] Invalid API key or access token" }, 401);
  const { query } = JSON.parse(String(init?.body ?? "{}")) as { query: string };
  shop.graphql.push(query);
  if (query.includes("shopLocales") && shop.locales === "denied")
    return json({
      data: null,
      errors: [{ message: "Access denied for shopLocales field. Required access: `read_locales` access scope." }],
    });
  if (query.includes("ShopSettings"))
    return json({ data: { shop: shop.settings, ...(query.includes("shopLocales") ? { shopLocales: shop.locales } : {}) } });
  return json({ data: { shop: { name: "x" } } });
}

beforeAll(() => {
  setAbstractFetchFunc(fakeShopify as typeof fetch);
});

function fakeShop(domain: string, settings: Partial<FakeShop> = {}): FakeShop {
  const s: FakeShop = {
    token: 0,
    revoked: new Set(),
    settings: {
      name: "Taipei Tea",
      currencyCode: "TWD",
      ianaTimezone: "Asia/Taipei",
      updatedAt: "2026-11-01T00:00:00Z",
      billingAddress: { countryCodeV2: "TW" },
    },
    locales: [
      { locale: "en", primary: false },
      { locale: "zh-TW", primary: true },
    ],
    graphql: [],
    ...settings,
  };
  shops.set(domain, s);
  return s;
}

/** The embedded admin loading with a fresh session token (Shopify's test helper signs it). */
async function openAdmin(domain: string) {
  const request = await setUpValidRequest(
    { type: RequestType.Bearer, store: domain.replace(/\.myshopify\.com$/, ""), apiKey: API_KEY, apiSecretKey: API_SECRET_KEY },
    new Request(`${env().SHOPIFY_APP_URL}/app`),
  );
  return authenticate.admin(request);
}

async function thrown(p: Promise<unknown>): Promise<Response> {
  try {
    await p;
  } catch (e) {
    if (e instanceof Response) return e;
    throw e;
  }
  throw new Error("expected a thrown Response");
}

async function deliverUninstall(domain: string, triggeredAt: Date, webhookId: string) {
  const res = await uninstalledAction({
    request: await signedWebhook({
      topic: "app/uninstalled",
      shop: domain,
      body: { id: 1, domain },
      webhookId,
      triggeredAt: triggeredAt.toISOString(),
    }),
    params: {},
    context: {},
  });
  expect(res.status).toBe(200);
  const row = await db().webhookDelivery.findUniqueOrThrow({ where: { shopDomain_webhookId: { shopDomain: domain, webhookId } } });
  await processDelivery(row.id);
  return db().webhookDelivery.findUniqueOrThrow({ where: { id: row.id } });
}

const tick = () => new Promise((r) => setTimeout(r, 5));

describe("install reads the shop's settings from Shopify", () => {
  it("stores time zone, currency, country and primary locale from Admin GraphQL at install", async () => {
    const domain = uniqueShop("tw");
    const fake = fakeShop(domain);
    await openAdmin(domain);
    const shop = await db().shop.findUniqueOrThrow({ where: { domain } });
    expect(shop).toMatchObject({
      name: "Taipei Tea",
      timezone: "Asia/Taipei",
      currency: "TWD",
      country: "TW",
      primaryLocale: "zh-TW",
      shopifyUpdatedAt: new Date("2026-11-01T00:00:00Z"),
      uninstalledAt: null,
    });
    expect(shop.settingsSyncedAt).toBeInstanceOf(Date);
    expect(shop.authorizedAt).toBeInstanceOf(Date);
    expect(fake.graphql.filter((q) => q.includes("ShopSettings"))).toHaveLength(1);
  });

  it("a shop that has not granted read_locales still gets its zone, currency and country", async () => {
    const domain = uniqueShop("th");
    fakeShop(domain, {
      settings: {
        name: "Bangkok",
        currencyCode: "THB",
        ianaTimezone: "Asia/Bangkok",
        updatedAt: "2026-11-02T00:00:00Z",
        billingAddress: { countryCodeV2: "TH" },
      },
      locales: "denied",
    });
    await openAdmin(domain);
    expect(await db().shop.findUniqueOrThrow({ where: { domain } })).toMatchObject({
      timezone: "Asia/Bangkok",
      currency: "THB",
      country: "TH",
      primaryLocale: null,
    });
  });
});

describe("app/uninstalled is ordered by when Shopify triggered it", () => {
  it("install → uninstall → reinstall → the late uninstall delivery leaves the new installation alone", async () => {
    const domain = uniqueShop("late");
    const fake = fakeShop(domain);
    const first = await openAdmin(domain);
    expect(first.session.accessToken).toBe(`shpat_${domain}_1`);

    // The merchant uninstalls; Shopify revokes the token but the delivery is late.
    await tick();
    const uninstalledAt = new Date();
    fake.revoked.add(first.session.accessToken!);
    await tick();

    // Reinstall: the stored token is refused (401), the library drops it and exchanges a new one.
    const refused = await thrown(first.admin.graphql("{ shop { name } }"));
    expect(refused.status).toBe(401);
    const second = await openAdmin(domain);
    expect(second.session.accessToken).toBe(`shpat_${domain}_2`);
    const reinstalled = await db().shop.findUniqueOrThrow({ where: { domain } });
    expect(reinstalled.authorizedAt!.getTime()).toBeGreaterThan(uninstalledAt.getTime());

    const delivery = await deliverUninstall(domain, uninstalledAt, "wh-late-uninstall");
    expect(delivery.status).toBe("stale");
    const shop = await db().shop.findUniqueOrThrow({ where: { domain } });
    expect(shop.uninstalledAt).toBeNull();
    // The installation that the uninstall ended is over: the current one began at the token grant.
    expect(shop.installedAt).toEqual(reinstalled.authorizedAt);
    const sessions = await db().session.findMany({ where: { shop: domain } });
    expect(sessions).toHaveLength(1);
    expect(
      (
        await authenticate.admin(
          await setUpValidRequest(
            { type: RequestType.Bearer, store: domain.replace(/\.myshopify\.com$/, ""), apiKey: API_KEY, apiSecretKey: API_SECRET_KEY },
            new Request(`${env().SHOPIFY_APP_URL}/app`),
          ),
        )
      ).session.accessToken,
    ).toBe(`shpat_${domain}_2`);
  });

  it("an uninstall triggered after the install applies; the reinstall starts a new installation", async () => {
    const domain = uniqueShop("again");
    fakeShop(domain);
    await openAdmin(domain);
    const installed = await db().shop.findUniqueOrThrow({ where: { domain } });
    await tick();
    const delivery = await deliverUninstall(domain, new Date(), "wh-uninstall");
    expect(delivery.status).toBe("processed");
    expect((await db().shop.findUniqueOrThrow({ where: { domain } })).uninstalledAt).toBeInstanceOf(Date);
    expect(await db().session.count({ where: { shop: domain } })).toBe(0);

    await tick();
    await openAdmin(domain);
    const back = await db().shop.findUniqueOrThrow({ where: { domain } });
    expect(back.uninstalledAt).toBeNull();
    expect(back.installedAt.getTime()).toBeGreaterThan(installed.installedAt.getTime());
    expect(await db().session.count({ where: { shop: domain } })).toBe(1);
  });
});

describe("shop/update keeps the settings current", () => {
  async function deliver(domain: string, body: Record<string, unknown>) {
    const webhookId = `wh-shop-update-${Math.random()}`;
    const res = await shopUpdateAction({
      request: await signedWebhook({ topic: "shop/update", shop: domain, body, webhookId }),
      params: {},
      context: {},
    });
    expect(res.status).toBe(200);
    const row = await db().webhookDelivery.findUniqueOrThrow({ where: { shopDomain_webhookId: { shopDomain: domain, webhookId } } });
    await processDelivery(row.id);
    return db().webhookDelivery.findUniqueOrThrow({ where: { id: row.id } });
  }

  it("applies a newer delivery, keeps fields it does not carry, and drops an older one", async () => {
    const domain = uniqueShop("upd");
    fakeShop(domain);
    await openAdmin(domain);

    const moved = await deliver(domain, {
      id: 1,
      name: "Taipei Tea",
      iana_timezone: "America/New_York",
      currency: "USD",
      country_code: "US",
      updated_at: "2026-11-10T00:00:00-05:00",
    });
    expect(moved.status).toBe("processed");
    expect(await db().shop.findUniqueOrThrow({ where: { domain } })).toMatchObject({
      timezone: "America/New_York",
      currency: "USD",
      country: "US",
      primaryLocale: "zh-TW", // not in the payload: kept
    });

    const late = await deliver(domain, { id: 1, iana_timezone: "Asia/Tokyo", currency: "JPY", updated_at: "2026-11-05T00:00:00Z" });
    expect(late.status).toBe("stale");
    expect(await db().shop.findUniqueOrThrow({ where: { domain } })).toMatchObject({ timezone: "America/New_York", currency: "USD" });

    // A zone the runtime does not know never reaches the row (quiet hours and segments need a real one).
    await deliver(domain, { id: 1, iana_timezone: "Mars/Olympus", primary_locale: "en", updated_at: "2026-11-12T00:00:00Z" });
    expect(await db().shop.findUniqueOrThrow({ where: { domain } })).toMatchObject({ timezone: "America/New_York", primaryLocale: "en" });
  });
});

describe("LINE plan region (Settings)", () => {
  async function settingsRequest(domain: string, form?: Record<string, string>) {
    return setUpValidRequest(
      { type: RequestType.Bearer, store: domain.replace(/\.myshopify\.com$/, ""), apiKey: API_KEY, apiSecretKey: API_SECRET_KEY },
      new Request(`${env().SHOPIFY_APP_URL}/app/settings`, form ? { method: "POST", body: new URLSearchParams(form) } : undefined),
    );
  }

  it("defaults from the shop's country, then follows the LINE account the merchant chooses", async () => {
    const domain = uniqueShop("plan");
    fakeShop(domain, {
      settings: {
        name: "Bangkok",
        currencyCode: "THB",
        ianaTimezone: "Asia/Bangkok",
        updatedAt: "2026-11-02T00:00:00Z",
        billingAddress: { countryCodeV2: "TH" },
      },
    });
    await openAdmin(domain);
    const before = (await (await settingsLoader({ request: await settingsRequest(domain), params: {}, context: {} })).json()) as {
      linePlan: { region: string; regionChosen: boolean; priced: boolean };
    };
    expect(before.linePlan).toMatchObject({ region: "TH", regionChosen: false, priced: false });

    // This Thai shop runs a Japanese LINE Official Account on the Standard plan.
    const saved = await settingsAction({
      request: await settingsRequest(domain, { intent: "plan", region: "JP", planId: "standard" }),
      params: {},
      context: {},
    });
    expect(saved.status).toBe(200);
    const shop = await db().shop.findUniqueOrThrow({ where: { domain } });
    const estimate = await estimateBroadcast(shop, { allFriends: true });
    expect(estimate).toMatchObject({ currency: "JPY", planId: "standard" });

    const refused = await settingsAction({
      request: await settingsRequest(domain, { intent: "plan", region: "TW", planId: "standard" }),
      params: {},
      context: {},
    });
    expect(refused.status).toBe(422);
  });
});

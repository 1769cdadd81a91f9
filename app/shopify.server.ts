// Shopify app configuration (where Shopify's docs expect it). Embedded app, token exchange
// (Shopify-managed install), sessions in PostgreSQL via Prisma. Webhook subscriptions are declared in
// shopify.app.toml, one route per topic.
import "@shopify/shopify-app-remix/adapters/node";
import { ApiVersion, AppDistribution, LogSeverity, shopifyApp } from "@shopify/shopify-app-remix/server";
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import { db } from "~/db.server";
import { env } from "~/config/env.server";
import { logger } from "~/adapters/logger.server";
import { CachedSessionStorage, EncryptedSessionStorage } from "~/adapters/shopify/session-storage.server";
import { emit } from "~/reactions.server";

export const apiVersion = ApiVersion.October25;

type ShopifyApp = ReturnType<typeof createShopifyApp>;

function createShopifyApp() {
  const e = env();
  return shopifyApp({
    apiKey: e.SHOPIFY_API_KEY,
    apiSecretKey: e.SHOPIFY_API_SECRET,
    apiVersion,
    scopes: e.SCOPES.split(","),
    appUrl: e.SHOPIFY_APP_URL,
    authPathPrefix: "/auth",
    // Tokens are encrypted at rest; the cache holds opened sessions in memory only.
    sessionStorage: new CachedSessionStorage(new EncryptedSessionStorage(new PrismaSessionStorage(db()))),
    distribution: AppDistribution.AppStore,
    future: { unstable_newEmbeddedAuthStrategy: true, expiringOfflineAccessTokens: true },
    // Route the library's logs through our structured logger (stderr for the CLI).
    logger: {
      level: LogSeverity.Info,
      log: (severity, message) => {
        const level = severity <= LogSeverity.Error ? "error" : severity === LogSeverity.Warning ? "warn" : "debug";
        logger()[level]({ lib: "shopify" }, message);
      },
    },
    hooks: {
      // Runs when Shopify granted a new offline token (install, reinstall, or a lost session).
      afterAuth: async ({ session }) => {
        const { recordInstall, requestShopSettingsSync } = await import("~/services/shops.server");
        const { shop, fresh } = await recordInstall(session.shop, {}, new Date());
        await requestShopSettingsSync(session.shop);
        // First install (or reinstall): its reactions pull the shop's history (app/reactions.server.ts).
        if (fresh) await emit("shop.installed", { shopId: shop.id, shopDomain: shop.domain }, `${shop.id}:${shop.installedAt.getTime()}`);
      },
    },
  });
}

declare global {
  var __shopify: ShopifyApp | undefined;
}

/** Lazily built so that entry points can provide DATABASE_URL before the first request. */
export function shopify(): ShopifyApp {
  globalThis.__shopify ??= createShopifyApp();
  return globalThis.__shopify;
}

export const authenticate = {
  admin: (request: Request) => shopify().authenticate.admin(request),
  webhook: (request: Request) => shopify().authenticate.webhook(request),
  publicCheckout: (request: Request) => shopify().authenticate.public.checkout(request),
  publicCustomerAccount: (request: Request) => shopify().authenticate.public.customerAccount(request),
  appProxy: (request: Request) => shopify().authenticate.public.appProxy(request),
};
export const unauthenticated = {
  admin: (shop: string) => shopify().unauthenticated.admin(shop),
};
export const addDocumentResponseHeaders = (request: Request, headers: Headers) => shopify().addDocumentResponseHeaders(request, headers);
export const login = (request: Request) => shopify().login(request);
export const sessionStorage = () => shopify().sessionStorage;

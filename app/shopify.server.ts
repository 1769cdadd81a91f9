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
import { graphqlOf, type Gql } from "~/adapters/shopify/bulk-operations.server";
import { fetchShopSettings } from "~/adapters/shopify/shop-settings.server";
import { enqueue } from "~/adapters/queue/queues.server";
import { applyShopSettings, recordInstall } from "~/db/shops.server";
import { emit } from "~/reactions.server";

const apiVersion = ApiVersion.October25;

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
      afterAuth: async ({ session, admin }) => {
        await onAppAuthorized(session.shop, graphqlOf(admin));
      },
    },
  });
}

/**
 * Shopify granted the app a new offline token (install, reinstall, or a lost session): record the
 * installation, read the shop's settings now with the client the hook was handed (so the first admin
 * page already shows its time zone and currency; if Shopify cannot be reached the
 * `shops.sync-settings` job retries with backoff), and on a first install or a reinstall emit
 * shop.installed (its reaction pulls the shop's history: app/reactions.server.ts). Only the database
 * layer and adapters are used here, so this config imports no service (no import circle).
 */
async function onAppAuthorized(shopDomain: string, gql: Gql, now = new Date()) {
  const { shop, fresh } = await recordInstall(shopDomain, {}, now);
  try {
    await applyShopSettings(shopDomain, await fetchShopSettings(gql));
  } catch (err) {
    logger().warn(
      { shop: shopDomain, err: err instanceof Error ? err.message : String(err) },
      "shop settings read failed; retrying in a job",
    );
    await enqueue("shops.sync-settings", { shopDomain }, { jobId: `shop-settings-${shopDomain}-${now.getTime()}` });
  }
  if (fresh) await emit("shop.installed", { shopId: shop.id, shopDomain }, `${shop.id}:${shop.installedAt.getTime()}`);
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

/** Admin GraphQL over the shop's stored offline session (jobs: backfill, settings sync). */
export async function adminGraphql(shopDomain: string): Promise<Gql> {
  const { admin } = await unauthenticated.admin(shopDomain);
  return graphqlOf(admin);
}
export const addDocumentResponseHeaders = (request: Request, headers: Headers) => shopify().addDocumentResponseHeaders(request, headers);
export const sessionStorage = () => shopify().sessionStorage;

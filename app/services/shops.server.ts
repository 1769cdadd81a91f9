// Shop lifecycle: install (offline session + Shop row + settings from Shopify), LINE channel
// connection, uninstall.
import { Session } from "@shopify/shopify-api";
import type { Shop } from "@prisma/client";
import { db } from "~/db.server";
import { readPlanSettings, savePlanSettings } from "~/db/settings/plan.server";
import { env } from "~/config/env.server";
import { encryptSecret } from "~/adapters/crypto.server";
import { lineChannel, classifyLineError } from "~/adapters/line/client.server";
import { isRetryableLineOutcome } from "~/domain/messaging/line-outcome";
import { childLogger } from "~/adapters/logger.server";
import { adminGraphql, sessionStorage } from "~/shopify.server";
import { fetchShopSettings } from "~/adapters/shopify/shop-settings.server";
import { applyShopSettings, lineSecrets, recordInstall } from "~/db/shops.server";
import { LINE_REGIONS, defaultLineRegion } from "~/domain/shops/settings";
import { PLAN_TABLES, resolvePlan } from "~/domain/broadcasts/cost";

const SHOP_DOMAIN = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;

function assertShopDomain(domain: string): string {
  const d = domain.trim().toLowerCase();
  if (!SHOP_DOMAIN.test(d)) throw new Error(`Invalid shop domain "${domain}" (expected <name>.myshopify.com)`);
  return d;
}

/**
 * Reads the shop's settings from Shopify (Admin GraphQL over the offline session) and stores them
 * (the `shops.sync-settings` job). Throws on transport/GraphQL errors so the job retries.
 */
export async function syncShopSettings(domain: string) {
  return applyShopSettings(domain, await fetchShopSettings(await adminGraphql(domain)));
}

/** Development/sandbox only: a shop with an offline session, as if installed from the Shopify admin. */
export async function installDevShop(input: {
  domain: string;
  accessToken?: string;
  scopes?: string;
  name?: string;
  currency?: string;
  timezone?: string;
  country?: string;
  primaryLocale?: string;
}) {
  if (env().NODE_ENV === "production") throw new Error("shop:install is for development and sandbox only");
  const domain = assertShopDomain(input.domain);
  const session = new Session({
    id: `offline_${domain}`,
    shop: domain,
    state: "sandbox",
    isOnline: false,
    accessToken: input.accessToken ?? "shpat_sandbox_offline_token",
    scope: input.scopes ?? env().SCOPES,
  });
  await sessionStorage().storeSession(session);
  const { shop } = await recordInstall(
    domain,
    {
      name: input.name,
      currency: input.currency,
      timezone: input.timezone,
      country: input.country,
      primaryLocale: input.primaryLocale,
    },
    new Date(),
  );
  return { shop, session };
}

/**
 * The LINE plan that prices this shop's messages (Settings). The region follows the LINE Official
 * Account (JP/TW/TH plan tables in app/domain/broadcasts/cost.ts), not the shop's country; `planId`
 * must be one of that region's plans. Throws for an unknown region or plan.
 */
export function setLinePlan(domain: string, input: { region: string; planId: string }) {
  return savePlanSettings({ domain }, input);
}

/** Settings page: the plan in force, whether its region is the merchant's choice, and the choices. */
export function linePlanChoice(shop: Pick<Shop, "settings" | "country">) {
  const chosen = readPlanSettings(shop);
  const { table, plan } = resolvePlan(readPlanSettings(shop), shop.country);
  return {
    region: table.country,
    regionChosen: Boolean(chosen.country),
    defaultRegion: defaultLineRegion(shop.country),
    planId: plan.id,
    priced: table.priced !== false,
    regions: LINE_REGIONS.map((r) => ({
      region: r,
      currency: PLAN_TABLES[r]!.currency,
      plans: PLAN_TABLES[r]!.plans.map((p) => ({ id: p.id, name: p.name })),
    })),
  };
}

export function lineWebhookUrl(domain: string): string {
  return new URL(`/webhooks/line/${domain}`, env().SHOPIFY_APP_URL).toString();
}

export interface ConnectLineInput {
  domain: string;
  channelId: string;
  channelSecret: string;
  channelAccessToken: string;
  loginChannelId?: string;
  loginChannelSecret?: string;
}

/** Stores the shop's LINE channel (secrets encrypted) and checks the token against LINE's bot info. */
export async function connectLineChannel(input: ConnectLineInput) {
  const domain = assertShopDomain(input.domain);
  const existing = await db().shop.findUnique({ where: { domain } });
  if (!existing) throw new Error(`Shop ${domain} is not installed`);
  if (!/^\d+$/.test(input.channelId)) throw new Error("channel id must be numeric (LINE Developers Console → Basic settings)");
  if (!input.channelSecret || !input.channelAccessToken) throw new Error("channel secret and access token are required");
  if (Boolean(input.loginChannelId) !== Boolean(input.loginChannelSecret))
    throw new Error("--login-channel-id and --login-channel-secret go together");

  let botUserId: string | undefined;
  let verification: { ok: boolean; error?: string };
  try {
    const info = await lineChannel(input.channelAccessToken).botInfo();
    botUserId = info.userId;
    verification = { ok: true };
  } catch (err) {
    const c = classifyLineError(err);
    verification = { ok: false, error: c.message };
    childLogger({ shop: domain }).warn({ status: c.status }, "LINE channel verification failed");
  }
  // Never replace a channel that works with credentials LINE refuses: keep the old ones, say why.
  if (!verification.ok && existing.lineChannelAccessTokenEnc) {
    return {
      shop: domain,
      channelId: existing.lineChannelId,
      botUserId: existing.lineBotUserId,
      loginChannelId: existing.lineLoginChannelId,
      webhookUrl: lineWebhookUrl(domain),
      saved: false,
      verified: false,
      verificationError: verification.error,
    };
  }
  const shop = await db().shop.update({
    where: { domain },
    data: {
      lineChannelId: input.channelId,
      lineChannelSecretEnc: encryptSecret(input.channelSecret, { shop: domain, purpose: "line.channelSecret" }),
      lineChannelAccessTokenEnc: encryptSecret(input.channelAccessToken, { shop: domain, purpose: "line.channelAccessToken" }),
      lineBotUserId: botUserId ?? existing.lineBotUserId,
      lineLoginChannelId: input.loginChannelId ?? null,
      lineLoginChannelSecretEnc: input.loginChannelSecret
        ? encryptSecret(input.loginChannelSecret, { shop: domain, purpose: "line.loginChannelSecret" })
        : null,
      lineConnectedAt: new Date(),
    },
  });
  return {
    shop: domain,
    channelId: shop.lineChannelId,
    botUserId: shop.lineBotUserId,
    loginChannelId: shop.lineLoginChannelId,
    webhookUrl: lineWebhookUrl(domain),
    saved: true,
    verified: verification.ok,
    verificationError: verification.error,
  };
}

/**
 * app/uninstalled: stop everything for the shop at once. Sessions are deleted (Shopify invalidates
 * the token), pending reminders are cancelled and the shop is marked so no job calls LINE for it.
 * Shop data stays until shop/redact (48 h later) so a reinstall keeps its history.
 *
 * Ordered by time, not arrival: `at` is when Shopify triggered the uninstall (X-Shopify-Triggered-At).
 * Shopify retries deliveries for hours and may deliver late (shopify-platform-facts §3.3), so an
 * uninstall triggered before the current installation began (installedAt, or the latest token grant
 * authorizedAt) ended an earlier installation: it is "stale" and leaves the new session alone. If
 * that is how we learn of the reinstall, the installation period starts at the token grant.
 */
export async function markUninstalled(domain: string, at: Date) {
  const shop = await db().shop.findUnique({ where: { domain } });
  if (!shop) {
    await deleteShopSessions(domain);
    return { status: "unknown-shop" as const };
  }
  const currentSince = shop.authorizedAt && shop.authorizedAt > shop.installedAt ? shop.authorizedAt : shop.installedAt;
  if (at < currentSince) {
    if (shop.authorizedAt && shop.installedAt < at)
      await db().shop.update({ where: { id: shop.id }, data: { installedAt: shop.authorizedAt } });
    return { status: "stale" as const, shopId: shop.id };
  }
  await db().$transaction([
    db().shop.update({ where: { id: shop.id }, data: { uninstalledAt: at } }),
    db().reminder.updateMany({
      where: { shopId: shop.id, status: "scheduled" },
      data: { status: "cancelled", reason: "app uninstalled" },
    }),
  ]);
  await deleteShopSessions(domain);
  return { status: "uninstalled" as const, shopId: shop.id };
}

/** Deletes through Shopify's session storage so this process's session cache forgets them too. */
async function deleteShopSessions(domain: string) {
  const ids = (await db().session.findMany({ where: { shop: domain }, select: { id: true } })).map((s) => s.id);
  if (!ids.length) return;
  await sessionStorage().deleteSessions(ids);
}

/**
 * "Test connection": asks LINE for the bot's info with the stored access token (GET /v2/bot/info,
 * https://developers.line.biz/en/reference/messaging-api/#get-bot-info). `reason`: "not_connected"
 * (no token stored), "rejected" (LINE refused the token: 401/403), "unreachable" (network, 5xx).
 */
export async function testLineConnection(
  domain: string,
): Promise<
  | { ok: true; botName: string; basicId: string | null }
  | { ok: false; reason: "not_connected" | "rejected" | "unreachable"; status?: number }
> {
  const shop = await db().shop.findUnique({ where: { domain: assertShopDomain(domain) } });
  const secrets = shop ? lineSecrets(shop) : null;
  if (!secrets) return { ok: false, reason: "not_connected" };
  try {
    const info = await lineChannel(secrets.channelAccessToken).botInfo();
    return { ok: true, botName: info.displayName, basicId: info.basicId ?? null };
  } catch (err) {
    const c = classifyLineError(err);
    return { ok: false, reason: isRetryableLineOutcome(c.kind) ? "unreachable" : "rejected", status: c.status };
  }
}

// Seeds the sandbox shop: shop + offline session, a LINE channel on the emulator connected to the
// app, then the synthetic store through the real webhook routes and LINE friends through the
// emulator's signed webhooks. Runs inside the sandbox process (it has the database and env).
import { LineEmulatorClient } from "../../emulator/client";
import { generateStore, type FriendEvent } from "./generator";
import { deliverWebhooks, pool } from "./deliver";
import { installDevShop, connectLineChannel } from "../../app/services/shops.server";
import { lineSecrets } from "../../app/db/shops.server";
import { db } from "../../app/db.server";
import { waitForIdleQueues } from "../../app/services/jobs-wait.server";

export interface SeedOptions {
  shopDomain: string;
  customers: number;
  seed: number;
  appUrl: string;
  apiSecret: string;
  emulatorUrl: string;
  reuse: boolean;
  /** JP | TW | TH: a realistic shop of that country (SANDBOX_SHOPS). */
  region?: string;
  log: (m: string) => void;
}

/** Shops as Shopify would describe them (Admin GraphQL `shop`): one per LINE plan region. */
export const SANDBOX_SHOPS = {
  JP: { name: "Sandbox Coffee & Goods", timezone: "Asia/Tokyo", currency: "JPY", country: "JP", primaryLocale: "ja" },
  TW: { name: "Sandbox Tea House 茶館", timezone: "Asia/Taipei", currency: "TWD", country: "TW", primaryLocale: "zh-TW" },
  TH: { name: "Sandbox Bangkok Goods", timezone: "Asia/Bangkok", currency: "THB", country: "TH", primaryLocale: "th" },
} as const;

const SANDBOX_CHANNEL = {
  channelId: "2000000001",
  channelSecret: "sandboxchannelsecret0000000000000",
  channelAccessToken: "sandbox-channel-access-token",
  loginChannelId: "2000000002",
  loginChannelSecret: "sandboxloginsecret000000000000000",
};

export async function seedSandbox(o: SeedOptions) {
  const emulator = new LineEmulatorClient(o.emulatorUrl);
  const region = (o.region ?? "JP").toUpperCase();
  if (!(region in SANDBOX_SHOPS)) throw new Error(`--region must be one of ${Object.keys(SANDBOX_SHOPS).join(", ")}`);
  const settings = SANDBOX_SHOPS[region as keyof typeof SANDBOX_SHOPS];
  const { shop } = await installDevShop({ domain: o.shopDomain, ...settings });
  const existing = lineSecrets(shop);
  const channel = existing ?? SANDBOX_CHANNEL;
  const webhookUrl = new URL(`/webhooks/line/${o.shopDomain}`, o.appUrl).toString();
  await emulator.createChannel({
    ...channel,
    loginChannelId: channel.loginChannelId ?? SANDBOX_CHANNEL.loginChannelId,
    loginChannelSecret: channel.loginChannelSecret ?? SANDBOX_CHANNEL.loginChannelSecret,
    webhookUrl,
    displayName: settings.name,
  });
  const connected = await connectLineChannel({
    domain: o.shopDomain,
    ...SANDBOX_CHANNEL,
    ...channel,
    loginChannelId: channel.loginChannelId ?? SANDBOX_CHANNEL.loginChannelId,
    loginChannelSecret: channel.loginChannelSecret ?? SANDBOX_CHANNEL.loginChannelSecret,
  });

  if (o.reuse && (await db().order.count({ where: { shopId: shop.id } })) > 0) {
    // The emulator is in memory: give it back the friends the database knows.
    const friends = await db().friend.findMany({
      where: { shopId: shop.id },
      select: { lineUserId: true, displayName: true, language: true, following: true },
    });
    for (let i = 0; i < friends.length; i += 1000) {
      await emulator.createUsers(
        friends.slice(i, i + 1000).map((f) => ({
          userId: f.lineUserId,
          displayName: f.displayName ?? "Friend",
          language: f.language ?? "ja",
          friendOf: f.following ? [channel.channelId] : [],
        })),
      );
    }
    o.log(`reused existing sandbox data (${friends.length} friends)`);
    return { shop: o.shopDomain, lineChannelId: channel.channelId, lineWebhookUrl: connected.webhookUrl, reused: true };
  }

  const started = Date.now();
  o.log(`delivering a synthetic store of ${o.customers} customers through signed webhooks …`);
  const stats = await deliverWebhooks(
    generateStore({ customers: o.customers, seed: o.seed, shopDomain: o.shopDomain, currency: settings.currency }),
    {
      appUrl: o.appUrl,
      shopDomain: o.shopDomain,
      apiSecret: o.apiSecret,
    },
  );
  o.log(`${stats.webhooks} Shopify webhooks delivered in ${((Date.now() - started) / 1000).toFixed(1)} s`);

  const friends = stats.friends;
  await addFriends(emulator, channel.channelId, friends);
  // The friends must exist before they are linked, and the sandbox is ready only once the worker
  // has processed the whole store: on a busy machine that takes minutes, so wait for it (and say
  // so when it never settles) instead of linking half the friends and reporting ready too early.
  await settle("follow webhooks");
  const linked = await linkFriends(
    shop.id,
    friends.filter((f) => f.shopifyCustomerId && !f.blocked),
  );
  await settle("links");
  o.log(`${friends.length} LINE friends (${linked} linked) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return {
    shop: o.shopDomain,
    lineChannelId: channel.channelId,
    lineWebhookUrl: connected.webhookUrl,
    reused: false,
    webhooks: stats.webhooks,
    webhookErrors: stats.webhookErrors,
    friends: friends.length,
    linkedFriends: linked,
    sampleLineUserIds: friends.slice(0, 3).map((f) => f.lineUserId),
  };
}

/** Waits until the worker has drained every queue; fails the seed when it does not within 15 minutes. */
async function settle(what: string) {
  const r = await waitForIdleQueues({ timeoutMs: 15 * 60_000 });
  if (!r.idle) throw new Error(`the worker did not finish processing the ${what} within 15 minutes: ${JSON.stringify(r.queues)}`);
}

/** Friends follow the account on the emulator, which signs and posts follow (and unfollow) webhooks. */
async function addFriends(emulator: LineEmulatorClient, channelId: string, friends: FriendEvent[]) {
  for (let i = 0; i < friends.length; i += 1000) {
    await emulator.createUsers(
      friends
        .slice(i, i + 1000)
        .map((f) => ({ userId: f.lineUserId, displayName: f.displayName, language: f.language, pictureUrl: undefined })),
    );
  }
  await pool(friends, 8, async (f) => {
    await emulator.sendWebhookEvent(channelId, { type: "follow", userId: f.lineUserId, timestamp: f.followedAt.getTime() });
    if (f.blocked) await emulator.sendWebhookEvent(channelId, { type: "unfollow", userId: f.lineUserId });
  });
}

/** Links friends to their customers through the same service merchants use for CSV imports. */
async function linkFriends(shopId: number, friends: FriendEvent[]): Promise<number> {
  if (friends.length === 0) return 0;
  const csv = ["shopify_customer_id,line_user_id", ...friends.map((f) => `${f.shopifyCustomerId},${f.lineUserId}`)].join("\n");
  const linking = (await import("../../app/services/linking/links-csv.server").catch(() => undefined)) as
    { importLinksCsv?: (shopId: number, csv: string) => Promise<{ imported: number }> } | undefined;
  if (!linking?.importLinksCsv) throw new Error("links CSV import service is not available");
  const result = await linking.importLinksCsv(shopId, csv);
  return result.imported;
}

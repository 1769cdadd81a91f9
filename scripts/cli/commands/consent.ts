// Consent commands: set a friend's marketing consent, show its history. JSON out.
import type { CliCommand } from "../types";
import { UsageError, requireString } from "../types";
import { requireShop } from "../../../app/db/shops.server";
import { db } from "../../../app/db.server";
import { consentHistory, setMarketingConsent } from "../../../app/services/consent/consent.server";

async function friendOf(shopDomain: string, lineUserId: string) {
  const shop = await requireShop(shopDomain);
  const friend = await db().friend.findUnique({ where: { shopId_lineUserId: { shopId: shop.id, lineUserId } } });
  if (!friend) throw new UsageError(`Unknown LINE user ${lineUserId}`);
  return { shop, friend };
}

export const commands: CliCommand[] = [
  {
    name: "consent:set",
    description: "Opt a friend out of (or back into) marketing messages; recorded with source 'cli'",
    options: {
      shop: { type: "string", required: true, description: "shop domain" },
      "line-user": { type: "string", required: true, description: "LINE user id" },
      "opted-out": { type: "string", required: true, description: "true | false" },
    },
    async run(args) {
      const v = requireString(args, "opted-out");
      if (v !== "true" && v !== "false") throw new UsageError("--opted-out must be true or false");
      const { shop, friend } = await friendOf(requireString(args, "shop"), requireString(args, "line-user"));
      const result = await setMarketingConsent({ shopId: shop.id, friendId: friend.id, optedOut: v === "true", source: "cli" });
      return { friendId: friend.id, optedOut: v === "true", result };
    },
  },
  {
    name: "consent:history",
    description: "Every consent change of a friend, newest first",
    options: {
      shop: { type: "string", required: true, description: "shop domain" },
      "line-user": { type: "string", required: true, description: "LINE user id" },
    },
    async run(args) {
      const { shop, friend } = await friendOf(requireString(args, "shop"), requireString(args, "line-user"));
      const events = await consentHistory(shop.id, friend.id);
      return {
        friendId: friend.id,
        optedOut: friend.marketingOptOut,
        events: events.map((e) => ({ optedOut: e.optedOut, source: e.source, detail: e.detail, at: e.at })),
      };
    },
  },
];

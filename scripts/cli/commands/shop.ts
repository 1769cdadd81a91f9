import type { CliCommand } from "../types";
import { requireString } from "../types";
import { installDevShop } from "../../../app/services/shops.server";

export const command: CliCommand = {
  name: "shop:install",
  description: "Create a shop with an offline session (development and sandbox only)",
  options: {
    shop: { type: "string", required: true, description: "shop domain, e.g. demo.myshopify.com" },
    "access-token": { type: "string", description: "offline access token to store (default: a sandbox token)" },
    name: { type: "string", description: "shop name" },
    currency: { type: "string", description: "shop currency (default JPY)" },
    timezone: { type: "string", description: "IANA time zone (default Asia/Tokyo)" },
  },
  async run(args) {
    const { shop, session } = await installDevShop({
      domain: requireString(args, "shop"),
      accessToken: args["access-token"] as string | undefined,
      name: args.name as string | undefined,
      currency: args.currency as string | undefined,
      timezone: args.timezone as string | undefined,
    });
    return {
      shop: shop.domain,
      shopId: shop.id,
      sessionId: session.id,
      currency: shop.currency,
      timezone: shop.timezone,
      installedAt: shop.installedAt,
    };
  },
};

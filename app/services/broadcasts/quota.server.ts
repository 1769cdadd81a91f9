// The channel's monthly quota and consumption (GET /v2/bot/message/quota[/consumption]).
import type { Shop } from "@prisma/client";
import { lineChannel } from "~/adapters/line/client.server";
import { lineSecrets } from "~/db/shops.server";
import type { Quota } from "~/domain/broadcasts/cost";

export async function channelQuota(shop: Shop): Promise<Quota> {
  const secrets = lineSecrets(shop);
  if (!secrets) return { type: "none", value: null, totalUsage: 0 };
  const q = await lineChannel(secrets.channelAccessToken).quota();
  return { type: q.type, value: q.value ?? null, totalUsage: q.totalUsage };
}

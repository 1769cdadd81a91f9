// The channel's monthly quota and consumption (GET /v2/bot/message/quota[/consumption]).
import type { Shop } from "@prisma/client";
import { lineClients } from "~/adapters/line/client.server";
import { lineSecrets } from "~/db/shops.server";
import type { Quota } from "~/domain/broadcasts/cost";

export async function channelQuota(shop: Shop): Promise<Quota> {
  const secrets = lineSecrets(shop);
  if (!secrets) return { type: "none", value: null, totalUsage: 0 };
  const { messaging } = lineClients(secrets.channelAccessToken);
  const [quota, consumption] = await Promise.all([messaging.getMessageQuota(), messaging.getMessageQuotaConsumption()]);
  return { type: quota.type === "limited" ? "limited" : "none", value: quota.value ?? null, totalUsage: consumption.totalUsage };
}

// The shop's shared marketing policy (its MessagingPolicy row) and the friend's recent marketing sends.
// Everything reads the policy through loadMessagingPolicy and writes it through saveMessagingPolicy.
// (Shops configured before the table existed kept it in Shop.settings.marketing; migration
// 20261202055900_messaging_policy_home moved those into rows.)
import type { Shop } from "@prisma/client";
import { db } from "~/db.server";
import { parseClock } from "~/domain/time/zoned";
import { DEFAULT_POLICY, MARKETING_SEND_KINDS, type MessagingPolicyConfig } from "~/domain/messaging/policy";

/** The shop's quiet hours and frequency cap; DEFAULT_POLICY (neither) until the merchant saves one. */
export async function loadMessagingPolicy(shop: Pick<Shop, "id">): Promise<MessagingPolicyConfig> {
  const row = await db().messagingPolicy.findUnique({ where: { shopId: shop.id } });
  if (!row) return DEFAULT_POLICY;
  return {
    quietHours: row.quietStart && row.quietEnd ? { start: row.quietStart, end: row.quietEnd } : null,
    frequencyCap: row.capMax && row.capWindowDays ? { max: row.capMax, windowDays: row.capWindowDays } : null,
  };
}

class PolicyInputError extends Error {
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
  }
}

export async function saveMessagingPolicy(shopId: number, p: MessagingPolicyConfig): Promise<MessagingPolicyConfig> {
  if (p.quietHours && (parseClock(p.quietHours.start) === null || parseClock(p.quietHours.end) === null))
    throw new PolicyInputError("Quiet hours must be HH:MM", "quietHours");
  if (
    p.frequencyCap &&
    (!Number.isInteger(p.frequencyCap.max) ||
      p.frequencyCap.max < 1 ||
      !Number.isInteger(p.frequencyCap.windowDays) ||
      p.frequencyCap.windowDays < 1)
  )
    throw new PolicyInputError("Frequency cap needs a maximum ≥ 1 and a window of ≥ 1 day", "frequencyCap");
  const data = {
    quietStart: p.quietHours?.start ?? null,
    quietEnd: p.quietHours?.end ?? null,
    capMax: p.frequencyCap?.max ?? null,
    capWindowDays: p.frequencyCap?.windowDays ?? null,
  };
  await db().messagingPolicy.upsert({ where: { shopId }, create: { shopId, ...data }, update: data });
  return p;
}

/** sentAt of the friend's marketing sends within `windowDays` (0 → none needed). */
export async function recentMarketingSends(
  shopId: number,
  friendId: number,
  now: Date,
  windowDays: number,
  excludeSendId?: number,
): Promise<Date[]> {
  if (windowDays <= 0) return [];
  const rows = await db().messageSend.findMany({
    where: {
      shopId,
      friendId,
      kind: { in: [...MARKETING_SEND_KINDS] },
      status: "sent",
      sentAt: { gt: new Date(now.getTime() - windowDays * 86_400_000) },
      ...(excludeSendId ? { id: { not: excludeSendId } } : {}),
    },
    select: { sentAt: true },
  });
  return rows.map((r) => r.sentAt!).filter(Boolean);
}

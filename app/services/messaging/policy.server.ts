// The shop's shared marketing policy (MessagingPolicy row) and the friend's recent marketing sends.
// Shops configured before the MessagingPolicy table existed kept it in Shop.settings.marketing
// (whole hours); that is read as a fallback, and saving mirrors the row back there for them.
// Everything reads the policy through loadMessagingPolicy.
import type { Prisma, Shop } from "@prisma/client";
import { db } from "~/db.server";
import { formatClock, parseClock } from "~/domain/time/zoned";
import { DEFAULT_POLICY, MARKETING_SEND_KINDS, type MessagingPolicyConfig } from "~/domain/messaging/policy";

type LegacyMarketing = { frequencyCap?: { max: number; days: number } | null; quietHours?: { start: number; end: number } | null };

export async function loadMessagingPolicy(shop: Pick<Shop, "id" | "settings">): Promise<MessagingPolicyConfig> {
  const row = await db().messagingPolicy.findUnique({ where: { shopId: shop.id } });
  if (row) {
    return {
      quietHours: row.quietStart && row.quietEnd ? { start: row.quietStart, end: row.quietEnd } : null,
      frequencyCap: row.capMax && row.capWindowDays ? { max: row.capMax, windowDays: row.capWindowDays } : null,
    };
  }
  const legacy = (shop.settings as { marketing?: LegacyMarketing } | null)?.marketing;
  if (!legacy) return DEFAULT_POLICY;
  return {
    quietHours: legacy.quietHours
      ? { start: formatClock(legacy.quietHours.start * 60), end: formatClock(legacy.quietHours.end * 60) }
      : null,
    frequencyCap:
      legacy.frequencyCap && legacy.frequencyCap.max > 0 ? { max: legacy.frequencyCap.max, windowDays: legacy.frequencyCap.days } : null,
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
  await db().$transaction(async (tx) => {
    await tx.messagingPolicy.upsert({ where: { shopId }, create: { shopId, ...data }, update: data });
    const shop = await tx.shop.findUniqueOrThrow({ where: { id: shopId }, select: { settings: true } });
    const legacy: LegacyMarketing = {
      frequencyCap: p.frequencyCap ? { max: p.frequencyCap.max, days: p.frequencyCap.windowDays } : null,
      quietHours: p.quietHours
        ? { start: Math.floor(parseClock(p.quietHours.start)! / 60), end: Math.floor(parseClock(p.quietHours.end)! / 60) }
        : null,
    };
    const settings = { ...((shop.settings as Record<string, unknown>) ?? {}), marketing: legacy };
    await tx.shop.update({ where: { id: shopId }, data: { settings: settings as Prisma.InputJsonValue } });
  });
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

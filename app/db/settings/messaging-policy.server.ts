// Settings area "messagingPolicy" (the shop's MessagingPolicy row): quiet hours and the frequency
// cap every marketing send honours (domain/messaging/policy.ts). A row, not JSON: migration
// 20261202055900_messaging_policy_home moved the old Shop.settings.marketing copies into rows.
import { z } from "zod";
import type { Shop } from "@prisma/client";
import { db } from "~/db.server";
import { parseClock } from "~/domain/time/zoned";
import { DEFAULT_POLICY, type MessagingPolicyConfig } from "~/domain/messaging/policy";

const clock = z.string().refine((v) => parseClock(v) !== null, "Quiet hours must be HH:MM");
export const MessagingPolicySchema = z.object({
  quietHours: z.object({ start: clock, end: clock }).nullable(),
  frequencyCap: z.object({ max: z.number().int().min(1), windowDays: z.number().int().min(1) }).nullable(),
});
export type { MessagingPolicyConfig };

/** The shop's quiet hours and frequency cap; DEFAULT_POLICY (neither) until the merchant saves one. */
export async function loadMessagingPolicy(shop: Pick<Shop, "id">): Promise<MessagingPolicyConfig> {
  const row = await db().messagingPolicy.findUnique({ where: { shopId: shop.id } });
  if (!row) return DEFAULT_POLICY;
  return {
    quietHours: row.quietStart && row.quietEnd ? { start: row.quietStart, end: row.quietEnd } : null,
    frequencyCap: row.capMax && row.capWindowDays ? { max: row.capMax, windowDays: row.capWindowDays } : null,
  };
}

/** Replaces the policy; throws (ZodError) for a malformed clock or a cap below 1. */
export async function saveMessagingPolicy(shopId: number, input: MessagingPolicyConfig): Promise<MessagingPolicyConfig> {
  const p = MessagingPolicySchema.parse(input);
  const data = {
    quietStart: p.quietHours?.start ?? null,
    quietEnd: p.quietHours?.end ?? null,
    capMax: p.frequencyCap?.max ?? null,
    capWindowDays: p.frequencyCap?.windowDays ?? null,
  };
  await db().messagingPolicy.upsert({ where: { shopId }, create: { shopId, ...data }, update: data });
  return p;
}

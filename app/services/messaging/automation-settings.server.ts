// Per-shop automation settings (AutomationSetting: shopId × kind → enabled + config JSON). Each
// automation validates its own config with a zod schema; this file only stores and lists them.
import type { Prisma } from "@prisma/client";
import type { z } from "zod";
import { db } from "~/db.server";

export async function readAutomationSetting<S extends z.ZodType>(
  shopId: number,
  kind: string,
  schema: S,
): Promise<{ enabled: boolean; config: z.output<S> }> {
  const row = await db().automationSetting.findUnique({ where: { shopId_kind: { shopId, kind } } });
  const parsed = schema.safeParse(row?.config ?? {});
  return { enabled: row?.enabled ?? false, config: parsed.success ? parsed.data : schema.parse({}) };
}

export async function writeAutomationSetting<S extends z.ZodType>(
  shopId: number,
  kind: string,
  schema: S,
  patch: { enabled?: boolean; config?: Record<string, unknown> },
): Promise<{ enabled: boolean; config: z.output<S> }> {
  return db().$transaction(async (tx) => {
    const row = await tx.automationSetting.findUnique({ where: { shopId_kind: { shopId, kind } } });
    const current = (row?.config ?? {}) as Record<string, unknown>;
    const config = schema.parse({ ...current, ...(patch.config ?? {}) }) as Prisma.InputJsonValue;
    const enabled = patch.enabled ?? row?.enabled ?? false;
    await tx.automationSetting.upsert({
      where: { shopId_kind: { shopId, kind } },
      create: { shopId, kind, enabled, config },
      update: { enabled, config },
    });
    return { enabled, config: config as z.output<S> };
  });
}

// Lifecycle automations: their attribution ids and the settings form. The settings themselves are
// the "lifecycle" settings area (app/db/settings/lifecycle.server.ts).
import type { Shop } from "@prisma/client";
import { db } from "~/db.server";
import { saveLifecycleSettings } from "~/db/settings/lifecycle.server";
import {
  LIFECYCLE_DAY_FIELD,
  LIFECYCLE_KINDS,
  checkLifecycleForm,
  type LifecycleFormProblem,
  type LifecycleKind,
} from "~/domain/broadcasts/lifecycle";

export { LIFECYCLE_KINDS, type LifecycleKind };
/** Stable source ids for tracked links / attribution of each automation. */
export const AUTOMATION_SOURCE_ID: Record<LifecycleKind, number> = { replenishment: 1, review: 2, winback: 3, welcome: 4 };

/**
 * Validates and saves one automation's settings form (kind, enabled, text, days, segmentIds).
 * Returns field → problem code (automations.lifecycle.errors.<code>) and saves nothing when any.
 */
export async function saveLifecycleForm(
  shop: Pick<Shop, "id">,
  kind: LifecycleKind,
  form: FormData,
): Promise<{ errors: Record<string, LifecycleFormProblem> }> {
  const segmentIds = form
    .getAll("segmentIds")
    .map(Number)
    .filter((n) => Number.isInteger(n) && n > 0);
  const rawDays = String(form.get("days") ?? "").trim();
  const input = { days: rawDays === "" ? null : Number(rawDays), text: String(form.get("text") ?? ""), segmentIds };
  const known = await db().segment.findMany({ where: { shopId: shop.id, id: { in: segmentIds } }, select: { id: true } });
  const errors = checkLifecycleForm(kind, input, new Set(known.map((s) => s.id)));
  if (Object.keys(errors).length) return { errors };
  const field = LIFECYCLE_DAY_FIELD[kind];
  await saveLifecycleSettings(shop.id, {
    [kind]: { enabled: form.get("enabled") === "on", text: input.text, segmentIds, ...(field ? { [field]: input.days } : {}) },
  });
  return { errors: {} };
}

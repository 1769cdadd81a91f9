// Lifecycle automations: their attribution ids and the settings page. The settings themselves are
// the "lifecycle" settings area (app/db/settings/lifecycle.server.ts).
import type { Shop } from "@prisma/client";
import { db } from "~/db.server";
import { saveLifecycleSettings, type LifecycleSettingsPatch } from "~/db/settings/lifecycle.server";
import { LIFECYCLE_KINDS, type LifecycleKind } from "~/domain/broadcasts/lifecycle";
import type { FormErrors } from "~/domain/forms/parse";

export { LIFECYCLE_KINDS, type LifecycleKind };
/** Stable source ids for tracked links / attribution of each automation. */
export const AUTOMATION_SOURCE_ID: Record<LifecycleKind, number> = { replenishment: 1, review: 2, winback: 3, welcome: 4 };

/**
 * Saves the lifecycle page (app/routes/app.automations.lifecycle.schema.ts parsed it): every
 * automation at once. The chosen segments must be the shop's own; otherwise nothing is saved and the
 * field (`<kind>.segmentIds`) gets its message key.
 */
export async function saveLifecyclePage(
  shop: Pick<Shop, "id">,
  input: Record<LifecycleKind, LifecycleSettingsPatch[LifecycleKind] & { segmentIds: number[] }>,
): Promise<{ errors: FormErrors }> {
  const wanted = [...new Set(LIFECYCLE_KINDS.flatMap((k) => input[k].segmentIds))];
  const known = new Set(
    (await db().segment.findMany({ where: { shopId: shop.id, id: { in: wanted } }, select: { id: true } })).map((s) => s.id),
  );
  const errors: FormErrors = {};
  for (const k of LIFECYCLE_KINDS)
    if (input[k].segmentIds.some((id) => !known.has(id))) errors[`${k}.segmentIds`] = "automations.lifecycle.errors.segment_unknown";
  if (Object.keys(errors).length) return { errors };
  await saveLifecycleSettings(shop.id, input);
  return { errors };
}

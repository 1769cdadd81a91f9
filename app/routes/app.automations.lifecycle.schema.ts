// Lifecycle automations form (app.automations.lifecycle.tsx): one form for the four automations,
// fields named `<kind>.<field>` (review.enabled, review.text, review.days, review.segmentIds). Day
// counts are whole days within LIFECYCLE_DAY_LIMITS; a message is one LINE text message. Messages
// are admin i18n keys (days_range is worded with the field's min and max on the page). Whether the
// chosen segments are the shop's own is the service's check (it needs the database).
import { z } from "zod";
import { LIFECYCLE_DAY_FIELD, LIFECYCLE_DAY_LIMITS, LIFECYCLE_KINDS, type LifecycleKind } from "~/domain/broadcasts/lifecycle";
import { checkText } from "~/domain/line/text-limits";
import { formFlag, formList, formText } from "~/domain/forms/parse";

const message = formText.pipe(
  z
    .string()
    .min(1, "automations.lifecycle.errors.text_empty")
    .refine((v) => checkText("messageText", v) === null, "automations.lifecycle.errors.text_too_long"),
);

const days = (limits: { min: number; max: number }) =>
  formText.pipe(
    z
      .string()
      .regex(/^\d+$/, "automations.lifecycle.errors.days_range")
      .transform(Number)
      .pipe(
        z
          .number()
          .int()
          .min(limits.min, "automations.lifecycle.errors.days_range")
          .max(limits.max, "automations.lifecycle.errors.days_range"),
      ),
  );

const segmentIds = formList.pipe(
  z
    .array(z.string().regex(/^\d+$/, "automations.lifecycle.errors.segment_unknown").transform(Number))
    .transform((ids) => [...new Set(ids)]),
);

function kindFields(kind: LifecycleKind) {
  const field = LIFECYCLE_DAY_FIELD[kind];
  return {
    [`${kind}.enabled`]: formFlag,
    [`${kind}.text`]: message,
    [`${kind}.segmentIds`]: segmentIds,
    ...(field ? { [`${kind}.days`]: days(LIFECYCLE_DAY_LIMITS[field]) } : {}),
  } as Record<string, z.ZodType>;
}

/** One automation's part of the form, as the settings area stores it. */
export type LifecycleKindInput = { enabled: boolean; text: string; segmentIds: number[] } & Partial<
  Record<"daysBefore" | "afterDays" | "dormantDays", number>
>;

export const LifecycleForm = z.object(Object.assign({}, ...LIFECYCLE_KINDS.map(kindFields)) as Record<string, z.ZodType>).transform((v) => {
  const out = {} as Record<LifecycleKind, LifecycleKindInput>;
  for (const kind of LIFECYCLE_KINDS) {
    const field = LIFECYCLE_DAY_FIELD[kind];
    out[kind] = {
      enabled: v[`${kind}.enabled`] as boolean,
      text: v[`${kind}.text`] as string,
      segmentIds: v[`${kind}.segmentIds`] as number[],
      ...(field ? { [field]: v[`${kind}.days`] as number } : {}),
    };
  }
  return out;
});
export type LifecycleFormData = z.output<typeof LifecycleForm>;

// Tags page forms (app.tags.tsx): create, rename, delete a tag; add and remove an automatic tag rule.
// Messages are admin i18n keys; the service checks the tag, rule and segment ids belong to the shop.
import { z } from "zod";
import { formFlag, formId, formText } from "~/domain/forms/parse";
import { TAG_KINDS, TAG_RULE_TRIGGERS } from "~/domain/tags/tags";

/** Tag names: trimmed, 1–100 characters, no control characters (the same rule as the service's). */
const tagName = formText.pipe(
  z
    .string()
    .min(1, "tags.errors.nameRequired")
    .max(100, "tags.errors.nameTooLong")
    .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), "tags.errors.nameControl"),
);

const tagKind = formText.transform((v) => v || "other").pipe(z.enum(TAG_KINDS, "forms.errors.invalidChoice"));

export const TagsForm = z.discriminatedUnion(
  "intent",
  [
    z.object({ intent: z.literal("create"), name: tagName, kind: tagKind }),
    z.object({ intent: z.literal("rename"), id: formId, name: tagName, kind: tagKind }),
    z.object({ intent: z.literal("delete"), id: formId, force: formFlag }),
    z
      .object({
        intent: z.literal("rule"),
        trigger: formText.pipe(z.enum(TAG_RULE_TRIGGERS, "forms.errors.invalidChoice")),
        match: formText.pipe(z.string().max(300, "tags.errors.matchTooLong")),
        action: formText.transform((v) => v || "add").pipe(z.enum(["add", "remove"], "forms.errors.invalidChoice")),
        tagId: formId,
      })
      .refine((r) => r.trigger !== "keyword" || r.match !== "", { path: ["match"], message: "tags.errors.keywordRequired" })
      .refine((r) => !(r.trigger === "segment_enter" || r.trigger === "segment_leave") || /^\d{1,10}$/.test(r.match), {
        path: ["match"],
        message: "tags.errors.segmentRequired",
      }),
    z.object({ intent: z.literal("delete-rule"), id: formId }),
  ],
  "forms.errors.invalid",
);
export type TagsFormData = z.output<typeof TagsForm>;

// Segment pages' forms: the editor (app.segments.$id.tsx: save or delete) and the list's delete
// (app.segments._index.tsx). Messages are admin i18n keys. The conditions are checked by the segment
// definition schema in the service (their issues are shown at the conditions); here only that they
// are JSON. The service checks the segment id belongs to the shop.
import { z } from "zod";
import { formId, formJson, formText } from "~/domain/forms/parse";

export const SEGMENT_NAME_MAX = 100;
export const SEGMENT_FOLDER_MAX = 100;

export const SegmentEditorForm = z.discriminatedUnion(
  "intent",
  [
    z.object({
      intent: z.literal("save"),
      name: formText.pipe(z.string().min(1, "segments.edit.errors.nameRequired").max(SEGMENT_NAME_MAX, "segments.edit.errors.nameTooLong")),
      folder: formText.pipe(z.string().max(SEGMENT_FOLDER_MAX, "segments.edit.errors.folderTooLong")),
      definition: formJson(z.record(z.string(), z.unknown(), "segments.edit.invalidJson"), "segments.edit.invalidJson"),
    }),
    z.object({ intent: z.literal("delete") }),
  ],
  "forms.errors.invalid",
);

export const SegmentsListForm = z.object({ intent: z.literal("delete", "forms.errors.invalid"), id: formId });

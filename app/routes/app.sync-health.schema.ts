// Sync health: the data-request download in the URL and the two buttons (retry a delivery, backfill).
import { z } from "zod";
import { formId } from "~/domain/forms/parse";

/** ?export=<id> downloads a customer data request's export (whether it is this shop's: the service). */
export const SyncHealthQuery = z.object({
  export: formId.optional(),
});

export const SyncHealthForm = z.discriminatedUnion(
  "intent",
  [z.object({ intent: z.literal("retry"), deliveryId: formId }), z.object({ intent: z.literal("backfill") })],
  "forms.errors.invalidChoice",
);

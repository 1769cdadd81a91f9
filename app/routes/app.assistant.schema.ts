// The segment assistant's chat panel (resource route app.assistant.tsx): one schema per intent.
// Messages are admin i18n keys.
import { z } from "zod";
import { formId, formText } from "~/domain/forms/parse";
import { isAssistantLocale, type AssistantLocale } from "~/domain/assistant/messages";

/** A conversation of this shop (findConversation checks the shop). */
const conversationId = formId.optional();

export const AssistantForm = z.discriminatedUnion(
  "intent",
  [
    z.object({
      intent: z.literal("propose"),
      text: formText.pipe(z.string().min(1, "assistant.errors.textRequired").max(2000, "assistant.errors.textTooLong")),
      mode: formText.pipe(z.enum(["auto", "consult"]).catch("auto")),
      /** The admin's language; another value (or none) lets the service choose from the conversation or the shop. */
      locale: formText.transform((l): AssistantLocale | undefined => (isAssistantLocale(l) ? l : undefined)),
      conversationId,
    }),
    z.object({
      intent: z.literal("approve"),
      conversationId: formId,
      /** "" keeps the proposed name. */
      name: formText.pipe(z.string().max(100, "assistant.errors.nameTooLong")).transform((n) => n || undefined),
    }),
    z.object({ intent: z.literal("cancel"), conversationId: formId }),
  ],
  "forms.errors.invalidChoice",
);

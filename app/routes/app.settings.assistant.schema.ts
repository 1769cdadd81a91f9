// Settings → segment assistant model: the form the save bar submits. Messages are admin i18n keys.
import { z } from "zod";
import { formFlag, formText } from "~/domain/forms/parse";

/** An http(s) base URL (a trailing "/" dropped), or "" when none is set. */
const baseUrl = formText.pipe(
  z
    .string()
    .max(500, "assistant.settings.errors.baseUrl")
    .refine((v) => {
      if (!v) return true;
      try {
        const u = new URL(v);
        return u.protocol === "https:" || u.protocol === "http:";
      } catch {
        return false;
      }
    }, "assistant.settings.errors.baseUrl")
    .transform((v) => v.replace(/\/+$/, "")),
);

export const AssistantSettingsForm = z
  .object({
    enabled: formFlag,
    baseUrl,
    model: formText.pipe(z.string().max(200, "assistant.settings.errors.modelLength")),
    /** "" keeps the stored key (the field is write-only). */
    apiKey: formText.pipe(z.string().max(500, "assistant.settings.errors.apiKeyLength")),
    removeApiKey: formFlag,
  })
  .superRefine((f, ctx) => {
    if (f.enabled && !f.baseUrl) ctx.addIssue({ code: "custom", path: ["baseUrl"], message: "assistant.settings.errors.baseUrl" });
    if (f.enabled && !f.model) ctx.addIssue({ code: "custom", path: ["model"], message: "assistant.settings.errors.model" });
  })
  .transform(({ removeApiKey, apiKey, ...rest }) => ({
    ...rest,
    /** A new key, "" to remove the stored one, undefined to keep it (saveAssistantSettings). */
    apiKey: removeApiKey ? "" : apiKey || undefined,
  }));

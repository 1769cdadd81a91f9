// Settings page forms (app.settings.tsx): the LINE channel, the LINE plan and the segment assistant's
// model. Messages are admin i18n keys.
import { z } from "zod";
import { formFlag, formText } from "~/domain/forms/parse";

/** Which of the page's forms was sent: "test", "assistant", "plan", or "" (connect the LINE channel). */
export const SettingsIntentForm = z.object({ intent: formText.pipe(z.enum(["test", "assistant", "plan"])).catch("" as never) });

/** Connect a LINE channel: the Messaging API channel (id, secret, long-lived token) and optionally a LINE Login pair. */
export const LineChannelForm = z
  .object({
    channelId: formText.pipe(z.string().regex(/^\d+$/, "settings.line.errors.channelId")),
    channelSecret: formText.pipe(z.string().min(1, "settings.line.errors.required")),
    channelAccessToken: formText.pipe(z.string().min(1, "settings.line.errors.accessToken")),
    loginChannelId: formText,
    loginChannelSecret: formText,
  })
  .refine((v) => Boolean(v.loginChannelId) === Boolean(v.loginChannelSecret), {
    path: ["loginChannelSecret"],
    message: "settings.line.errors.loginPair",
    // Reported together with the other fields' problems, not only once they are fixed.
    when: () => true,
  });

/** Choose the LINE plan: region and plan id (setLinePlan checks they exist). */
export const LinePlanForm = z.object({ region: formText, planId: formText });

function isHttpUrl(v: string): boolean {
  try {
    return ["https:", "http:"].includes(new URL(v).protocol);
  } catch {
    return false;
  }
}

/**
 * The segment assistant's model (Settings → Segment assistant model): an http(s) base URL when on or
 * filled in, a model name when on. The API key is write-only: empty keeps the stored one,
 * `removeApiKey` deletes it.
 */
export const AssistantModelForm = z
  .object({
    enabled: formFlag,
    baseUrl: formText.pipe(z.string().max(500, "assistant.settings.errors.baseUrl")).transform((v) => v.replace(/\/+$/, "")),
    model: formText.pipe(z.string().max(200, "assistant.settings.errors.modelLength")),
    /** "" keeps the stored key (the field is write-only). */
    apiKey: formText.pipe(z.string().max(500, "assistant.settings.errors.apiKeyLength")),
    removeApiKey: formFlag,
  })
  .superRefine((v, ctx) => {
    if ((v.enabled || v.baseUrl) && !isHttpUrl(v.baseUrl))
      ctx.addIssue({ code: "custom", path: ["baseUrl"], message: "assistant.settings.errors.baseUrl" });
    if (v.enabled && !v.model) ctx.addIssue({ code: "custom", path: ["model"], message: "assistant.settings.errors.model" });
  })
  .transform((v) => ({ enabled: v.enabled, baseUrl: v.baseUrl, model: v.model, apiKey: v.removeApiKey ? "" : v.apiKey || undefined }));

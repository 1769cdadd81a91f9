// Settings page forms (app.settings.tsx): the LINE channel and the LINE plan. Messages are admin i18n keys.
import { z } from "zod";
import { formText } from "~/domain/forms/parse";

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

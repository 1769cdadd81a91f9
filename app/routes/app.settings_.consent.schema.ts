// Settings → Consent form (app.settings_.consent.tsx): keywords (one per line), replies and the
// Shopify mirror. The rules are the domain's (app/domain/consent/settings.ts validateConsentSettings);
// each refusal is the field's admin i18n key, consentSettings.errors.<code>.
import { z } from "zod";
import { validateConsentSettings } from "~/domain/consent/settings";
import { formFlag, formText } from "~/domain/forms/parse";

export const ConsentForm = z
  .object({
    optOutKeywords: formText,
    optInKeywords: formText,
    optOutReply: formText,
    optInReply: formText,
    mirrorShopify: formFlag,
  })
  .transform((input, ctx) => {
    const checked = validateConsentSettings(input);
    if (checked.ok) return checked.value;
    for (const [field, e] of Object.entries(checked.errors))
      ctx.addIssue({ code: "custom", path: [field], message: `consentSettings.errors.${e.code}` });
    return z.NEVER;
  });

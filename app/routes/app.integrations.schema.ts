// Integrations page: one schema per button (the form's `intent`). Messages are admin i18n keys.
import { z } from "zod";
import { formText } from "~/domain/forms/parse";
import { PROVIDERS, type Provider } from "~/domain/integrations/types";

const provider = formText.pipe(z.enum(PROVIDERS, "integrations.errors.provider"));
/** A contact property's internal name (HubSpot's API name, Klaviyo's property path); "" = none. */
const propertyName = formText.pipe(z.string().max(100, "integrations.errors.property"));

/** Which provider a refused form was about (to show the error on its card); fails when none or unknown. */
export const IntegrationProviderForm = z.object({ provider });

/** The save bar's form field of a provider's LINE user id property. */
export const propertyField = (p: Provider) => `lineUserIdProperty.${p}` as const;

export const IntegrationForm = z.discriminatedUnion(
  "intent",
  [
    z.object({
      intent: z.literal("connect"),
      provider,
      credential: formText.pipe(z.string().min(1, "integrations.credentialRequired").max(500, "integrations.errors.credential")),
      lineUserIdProperty: propertyName,
    }),
    // The save bar: the property of every connected provider whose field is sent (absent = unchanged).
    z
      .object({
        intent: z.literal("lineUserIdProperty"),
        ...(Object.fromEntries(PROVIDERS.map((p) => [propertyField(p), propertyName.optional()])) as Record<
          ReturnType<typeof propertyField>,
          z.ZodOptional<typeof propertyName>
        >),
      })
      .transform(({ intent, ...fields }) => ({
        intent,
        properties: PROVIDERS.flatMap((p) => {
          const v = fields[propertyField(p)];
          return v === undefined ? [] : [{ provider: p, property: v || null }];
        }),
      })),
    z.object({ intent: z.enum(["test", "disconnect", "sync"]), provider }),
  ],
  "integrations.errors.intent",
);
export type IntegrationForm = z.output<typeof IntegrationForm>;

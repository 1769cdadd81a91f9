// Resource route of Settings → segment assistant model: GET the shop's endpoint (never the key),
// POST to save it (the key is encrypted at rest; an empty key field keeps the stored one). The form
// is parsed by AssistantSettingsForm (app.settings.assistant.schema.ts); refusals are FormErrors.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { requireAdmin } from "~/adapters/shopify/admin-auth.server";
import { requireShop } from "~/db/shops.server";
import { parseForm, type FormErrors } from "~/domain/forms/parse";
import { AssistantSettingsError, assistantSettings, saveAssistantSettings } from "~/services/assistant/settings.server";
import { AssistantSettingsForm } from "./app.settings.assistant.schema";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop: domain } = await requireAdmin(request);
  const shop = await requireShop(domain);
  return json({ settings: await assistantSettings(shop.id), errors: {} as FormErrors, saved: false });
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop: domain } = await requireAdmin(request);
  const shop = await requireShop(domain);
  const parsed = parseForm(AssistantSettingsForm, await request.formData());
  if (!parsed.ok) return json({ settings: await assistantSettings(shop.id), errors: parsed.errors, saved: false }, { status: 422 });
  try {
    const settings = await saveAssistantSettings(shop, parsed.data);
    return json({ settings, errors: {} as FormErrors, saved: true });
  } catch (err) {
    // The service keeps its own guard (other callers); its refusal is the same message key.
    if (err instanceof AssistantSettingsError)
      return json(
        {
          settings: await assistantSettings(shop.id),
          errors: { [err.field]: `assistant.settings.errors.${err.field}` } as FormErrors,
          saved: false,
        },
        { status: 422 },
      );
    throw err;
  }
};

// Resource route of Settings → segment assistant model: GET the shop's endpoint (never the key),
// POST to save it (the key is encrypted at rest; an empty key field keeps the stored one).
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { requireAdmin } from "~/adapters/shopify/admin-auth.server";
import { requireShop } from "~/db/shops.server";
import { AssistantSettingsError, loadAssistantSettings, saveAssistantSettings } from "~/db/settings/assistant.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop: domain } = await requireAdmin(request);
  const shop = await requireShop(domain);
  return json({ settings: await loadAssistantSettings(shop.id), errors: {} as Record<string, string>, saved: false });
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop: domain } = await requireAdmin(request);
  const shop = await requireShop(domain);
  const form = await request.formData();
  const apiKey = String(form.get("apiKey") ?? "");
  try {
    const settings = await saveAssistantSettings(shop, {
      enabled: form.get("enabled") === "on",
      baseUrl: String(form.get("baseUrl") ?? ""),
      model: String(form.get("model") ?? ""),
      apiKey: form.get("removeApiKey") === "on" ? "" : apiKey || undefined,
    });
    return json({ settings, errors: {} as Record<string, string>, saved: true });
  } catch (err) {
    if (err instanceof AssistantSettingsError)
      return json(
        { settings: await loadAssistantSettings(shop.id), errors: { [err.field]: err.message } as Record<string, string>, saved: false },
        { status: 422 },
      );
    throw err;
  }
};

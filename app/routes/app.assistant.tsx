// Resource route of the segment assistant's chat panel (app/components/assistant/AssistantPanel):
// GET → the shop's open conversation and the templates; POST intent=propose | approve | cancel
// (AssistantForm, app.assistant.schema.ts; refusals are FormErrors, `form` for the service's own).
// Approve saves the segment and redirects to the broadcast composer with it as the audience.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { requireAdmin } from "~/adapters/shopify/admin-auth.server";
import { requireShop } from "~/db/shops.server";
import { parseForm, type FormErrors } from "~/domain/forms/parse";
import { TEMPLATES } from "~/domain/assistant/templates";
import {
  AssistantError,
  approveProposal,
  cancelConversation,
  openConversation,
  proposeSegment,
} from "~/services/assistant/assistant.server";
import { AssistantForm } from "./app.assistant.schema";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop: domain } = await requireAdmin(request);
  const shop = await requireShop(domain);
  return json({ conversation: await openConversation(shop.id), templates: TEMPLATES });
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop: domain } = await requireAdmin(request);
  const shop = await requireShop(domain);
  const parsed = parseForm(AssistantForm, await request.formData());
  if (!parsed.ok) return json({ result: null, errors: parsed.errors, cancelled: false }, { status: parsed.errors.intent ? 400 : 422 });
  const f = parsed.data;
  try {
    if (f.intent === "propose") {
      const result = await proposeSegment(shop, { text: f.text, mode: f.mode, locale: f.locale, conversationId: f.conversationId });
      return json({ result, errors: {} as FormErrors, cancelled: false });
    }
    if (f.intent === "approve") {
      const approved = await approveProposal(shop, { conversationId: f.conversationId, name: f.name });
      return redirect(approved.composerUrl);
    }
    await cancelConversation(shop.id, f.conversationId);
    return json({ result: null, errors: {} as FormErrors, cancelled: true });
  } catch (err) {
    // The service's refusal as an i18n key with its parameters, worded in the merchant's language by the page.
    if (err instanceof AssistantError)
      return json(
        { result: null, errors: { form: err.text.key } as FormErrors, errorParams: { form: err.text.params ?? {} }, cancelled: false },
        { status: 422 },
      );
    throw err;
  }
};

// Resource route of the segment assistant's chat panel (app/components/assistant/AssistantPanel):
// GET → the shop's open conversation and the templates; POST intent=propose | approve | cancel.
// Approve saves the segment and redirects to the broadcast composer with it as the audience.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { requireAdmin } from "~/adapters/shopify/admin-auth.server";
import { requireShop } from "~/db/shops.server";
import { adminT } from "~/i18n/i18n.server";
import { isAssistantLocale } from "~/domain/assistant/messages";
import { TEMPLATES } from "~/domain/assistant/templates";
import {
  AssistantError,
  approveProposal,
  cancelConversation,
  openConversation,
  proposeSegment,
} from "~/services/assistant/assistant.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop: domain } = await requireAdmin(request);
  const shop = await requireShop(domain);
  return json({ conversation: await openConversation(shop.id), templates: TEMPLATES });
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop: domain } = await requireAdmin(request);
  const shop = await requireShop(domain);
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  const conversationId = Number(form.get("conversationId")) || undefined;
  try {
    if (intent === "propose") {
      const mode = form.get("mode") === "consult" ? "consult" : "auto";
      const locale = String(form.get("locale") ?? "");
      const result = await proposeSegment(shop, {
        text: String(form.get("text") ?? ""),
        mode,
        locale: isAssistantLocale(locale) ? locale : undefined,
        conversationId,
      });
      return json({ result, error: null, cancelled: false });
    }
    if (intent === "approve" && conversationId) {
      const approved = await approveProposal(shop, { conversationId, name: String(form.get("name") ?? "") || undefined });
      return redirect(approved.composerUrl);
    }
    if (intent === "cancel" && conversationId) {
      await cancelConversation(shop.id, conversationId);
      return json({ result: null, error: null, cancelled: true });
    }
  } catch (err) {
    if (err instanceof AssistantError)
      return json(
        {
          result: null,
          error: (await adminT(request, shop))(err.text.key as "assistant.errors.invalid", err.text.params),
          cancelled: false,
        },
        { status: 422 },
      );
    throw err;
  }
  return json({ result: null, error: "Unknown request", cancelled: false }, { status: 400 });
};

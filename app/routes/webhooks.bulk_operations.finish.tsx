// shopify.app.toml: topics = ["bulk_operations/finish"] → /webhooks/bulk_operations/finish
import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveShopifyWebhook } from "~/services/webhook-receiver.server";

/** The only topic this route accepts (X-Shopify-Topic is not signed; another topic is refused). */
export const topic = "bulk_operations/finish";
/** Also served ahead of Remix by the web process's hot path (app/adapters/http/ingress.server.ts). */
export const hotPath = true;

export const action = ({ request }: ActionFunctionArgs) => receiveShopifyWebhook(request, topic);

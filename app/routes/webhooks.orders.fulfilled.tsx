// shopify.app.toml: topics = ["orders/fulfilled"] → /webhooks/orders/fulfilled
import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveShopifyWebhook, receiveShopifyWebhookHot } from "~/services/webhook-receiver.server";
import type { HotPost } from "~/adapters/http/ingress.server";

/** The only topic this route accepts (X-Shopify-Topic is not signed; another topic is refused). */
export const topic = "orders/fulfilled";
/** Also served ahead of Remix by the web process's hot path (app/adapters/http/ingress.server.ts). */
export const hotPath = true;

export const action = ({ request }: ActionFunctionArgs) => receiveShopifyWebhook(request, topic);
/** The same answer on the hot path, without Fetch objects. */
export const hotPost: HotPost = (req) => receiveShopifyWebhookHot(req, topic);

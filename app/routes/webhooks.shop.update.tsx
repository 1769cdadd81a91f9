// shopify.app.toml: topics = ["shop/update"] → /webhooks/shop/update
import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveShopifyWebhook } from "~/services/webhook-receiver.server";

export const action = ({ request }: ActionFunctionArgs) => receiveShopifyWebhook(request);

// shopify.app.toml: topics = ["orders/fulfilled"] → /webhooks/orders/fulfilled
import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveShopifyWebhook } from "~/services/webhook-receiver.server";

export const action = ({ request }: ActionFunctionArgs) => receiveShopifyWebhook(request);

// shopify.app.toml: topics = ["checkouts/update"] → /webhooks/checkouts/update
import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveShopifyWebhook } from "~/services/webhook-receiver.server";

export const action = ({ request }: ActionFunctionArgs) => receiveShopifyWebhook(request);

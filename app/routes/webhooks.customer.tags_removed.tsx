// shopify.app.toml: topics = ["customer.tags_removed"] → /webhooks/customer/tags_removed
import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveShopifyWebhook } from "~/services/webhook-receiver.server";

export const action = ({ request }: ActionFunctionArgs) => receiveShopifyWebhook(request);

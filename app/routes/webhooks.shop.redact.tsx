// shopify.app.toml: compliance_topics = ["shop/redact"] → /webhooks/shop/redact
import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveShopifyWebhook } from "~/services/webhook-receiver.server";

export const action = ({ request }: ActionFunctionArgs) => receiveShopifyWebhook(request);

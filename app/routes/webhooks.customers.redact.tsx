// shopify.app.toml: compliance_topics = ["customers/redact"] → /webhooks/customers/redact
import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveShopifyWebhook } from "~/services/webhook-receiver.server";

export const action = ({ request }: ActionFunctionArgs) => receiveShopifyWebhook(request);

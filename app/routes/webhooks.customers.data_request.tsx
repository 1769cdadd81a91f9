// shopify.app.toml: compliance_topics = ["customers/data_request"] → /webhooks/customers/data_request
import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveShopifyWebhook } from "~/services/webhook-receiver.server";

export const action = ({ request }: ActionFunctionArgs) => receiveShopifyWebhook(request);

// shopify.app.toml: topics = ["bulk_operations/finish"] → /webhooks/bulk_operations/finish
import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveShopifyWebhook } from "~/services/webhook-receiver.server";

export const action = ({ request }: ActionFunctionArgs) => receiveShopifyWebhook(request);

// shopify.app.toml: topics = ["app/scopes_update"] → /webhooks/app/scopes_update
import type { ActionFunctionArgs } from "@remix-run/node";
import { receiveShopifyWebhook } from "~/services/webhook-receiver.server";

export const action = ({ request }: ActionFunctionArgs) => receiveShopifyWebhook(request);

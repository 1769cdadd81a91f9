// LINE Messaging API webhook, one URL per shop (shown by `line:connect` and in Settings):
// /webhooks/line/<shop domain>. Verify → record → enqueue → 200 (app/services/line-events/receive.server.ts).
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { receiveLineWebhook } from "~/services/line-events/receive.server";

/** Also served ahead of Remix by the web process's hot path (app/adapters/http/ingress.server.ts). */
export const hotPath = true;

export const action = ({ request, params }: ActionFunctionArgs) => receiveLineWebhook(request, params.shop ?? "");

export const loader = (_args: LoaderFunctionArgs) => new Response("Method Not Allowed", { status: 405 });

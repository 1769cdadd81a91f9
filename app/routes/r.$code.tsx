// Tracked-link redirect (docs/broadcasts.md#tracked-links): one INSERT, then 302. No queue, no
// session, so it stays fast and keeps working while the worker is down.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { recordClick } from "~/services/tracking/links.server";
import { isValidCode } from "~/domain/tracking/links";
import { CLIENT_ADDRESS_HEADER } from "~/adapters/http/ingress.server";

/** Also served ahead of Remix by the web process's hot path (app/adapters/http/ingress.server.ts). */
export const hotPath = true;

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const code = params.code ?? "";
  if (!isValidCode(code)) return new Response("Not found", { status: 404 });
  const url = new URL(request.url);
  const target = await recordClick(code, {
    friendToken: url.searchParams.get("f"),
    userAgent: request.headers.get("user-agent"),
    clientAddress: request.headers.get(CLIENT_ADDRESS_HEADER),
    query: url.searchParams,
  });
  if (!target) return new Response("Not found", { status: 404 });
  return new Response(null, { status: 302, headers: { Location: target, "Cache-Control": "no-store" } });
};

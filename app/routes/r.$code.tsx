// Tracked-link redirect (docs/broadcasts.md#tracked-links): one INSERT, then 302. No queue, no
// session, so it stays fast and keeps working while the worker is down.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { recordClick } from "~/services/tracking/links.server";
import { isValidCode } from "~/domain/tracking/links";
import { CLIENT_ADDRESS_HEADER, type HotGet } from "~/adapters/http/ingress.server";

/** Also served ahead of Remix by the web process's hot path (app/adapters/http/ingress.server.ts). */
export const hotPath = true;

/** The redirect from the parsed request: the hot path calls it directly, the loader through Fetch objects. */
export const hotGet: HotGet = async ({ params, query, headers, clientAddress }) => {
  const code = params.code ?? "";
  const notFound = { status: 404, headers: { "Content-Type": "text/plain;charset=UTF-8" }, body: "Not found" };
  if (!isValidCode(code)) return notFound;
  const userAgent = headers["user-agent"];
  const target = await recordClick(code, {
    friendToken: query.get("f"),
    userAgent: typeof userAgent === "string" ? userAgent : null,
    clientAddress,
    query,
  });
  if (!target) return notFound;
  return { status: 302, headers: { Location: target, "Cache-Control": "no-store" } };
};

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const url = new URL(request.url);
  const answer = await hotGet({
    params: { code: params.code ?? "" },
    query: url.searchParams,
    headers: { "user-agent": request.headers.get("user-agent") ?? undefined },
    clientAddress: request.headers.get(CLIENT_ADDRESS_HEADER) ?? "",
  });
  return new Response(answer.body ?? null, { status: answer.status, headers: answer.headers });
};

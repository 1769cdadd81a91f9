// The web process's front door (scripts/web.ts), in front of Express and Remix:
//   - every request body is read with the path's byte cap (domain/http/body-limits.ts) BEFORE any route
//     code runs: a larger Content-Length gets 413 without a byte read, a longer body is abandoned at the
//     cap (413, connection closed), so memory per request is bounded whatever a client sends;
//   - the hot paths — routes whose module exports `hotPath = true` (Shopify webhooks, the LINE webhook,
//     the /r/ redirect) — are served straight from Node's request by their route module, before
//     Express (its per-request prototype swap and query parsing) and without Remix's request
//     matching and document machinery (`ingressListener`): its `hotPost` / `hotGet` when it has
//     one (Shopify webhooks, /r/: the action's or loader's answer computed from Node's headers and
//     the capped body, without Fetch Request/Response objects — tests compare both entry points),
//     else its action/loader;
//   - everything else goes to Remix with the already-capped body.
import type { IncomingHttpHeaders, IncomingMessage, RequestListener, ServerResponse } from "node:http";
import type { Express, NextFunction, Request as ExpressRequest, Response as ExpressResponse, RequestHandler } from "express";
import proxyaddr from "proxy-addr";
import { writeReadableStreamToWritable, type ActionFunctionArgs, type ServerBuild } from "@remix-run/node";
import { bodyLimitFor } from "~/domain/http/body-limits";
import { PayloadTooLargeError, readNodeBody } from "~/adapters/http/body.server";
import { logger } from "~/adapters/logger.server";

type RouteFunction = (args: ActionFunctionArgs) => Promise<Response> | Response;

/** A hot answer: what a hot route returns without building a Fetch `Response`. */
export interface HotAnswer {
  status: number;
  headers: Record<string, string>;
  body?: string;
}

/**
 * What a hot GET route may export besides its Remix loader, for the hot path to answer without the
 * Fetch API's Request/Headers/Response objects (they cost more CPU than the redirect's own work):
 * the same answer as its loader, from the parsed request. The loader stays the contract (Remix, tests).
 */
export type HotGet = (req: {
  params: Record<string, string>;
  /** The query string's parameters. */
  query: URLSearchParams;
  /** Lower-case header names, as Node gives them. */
  headers: IncomingHttpHeaders;
  /** The client's address as the ingress saw it (CLIENT_ADDRESS_HEADER's value). */
  clientAddress: string;
}) => Promise<HotAnswer>;

/**
 * The POST counterpart (Shopify webhooks): the same answer as the route's action, from the method,
 * headers and the body the ingress already read under the path's cap.
 */
export type HotPost = (req: { params: Record<string, string>; headers: IncomingHttpHeaders; body: Buffer }) => Promise<HotAnswer>;

/** A header of a Node request as the Fetch API's `headers.get` would give it (null when absent). */
export function nodeHeader(headers: IncomingHttpHeaders, name: string): string | null {
  const v = headers[name.toLowerCase()];
  return v === undefined ? null : Array.isArray(v) ? v.join(", ") : v;
}

/** A route module as the hot path sees it: the Remix exports plus the `hotPath` marker. */
export interface HotRouteModule {
  hotPath?: boolean;
  action?: RouteFunction;
  loader?: RouteFunction;
  hotGet?: HotGet;
  hotPost?: HotPost;
}

/** A hot route: its URL pattern in Remix syntax ("/webhooks/line/:shop") and its module. */
export interface HotRoute {
  path: string;
  module: HotRouteModule;
}

/** The routes of a Remix build whose module exports `hotPath = true`, with their full URL patterns. */
export function hotRoutesOf(build: ServerBuild): HotRoute[] {
  const fullPath = (id: string): string => {
    const r = build.routes[id]!;
    const own = r.index ? "" : (r.path ?? "");
    const parent = r.parentId ? fullPath(r.parentId) : "";
    return [parent, own].filter(Boolean).join("/");
  };
  return Object.entries(build.routes)
    .filter(([, r]) => (r.module as HotRouteModule).hotPath === true)
    .map(([id, r]) => ({ path: `/${fullPath(id)}`, module: r.module as HotRouteModule }));
}

type Matcher = { segments: string[]; module: HotRouteModule };

function compile(routes: HotRoute[]) {
  const exact = new Map<string, HotRouteModule>();
  const patterns: Matcher[] = [];
  for (const r of routes) {
    if (r.path.includes(":")) patterns.push({ segments: r.path.split("/"), module: r.module });
    else exact.set(r.path, r.module);
  }
  return (pathname: string): { module: HotRouteModule; params: Record<string, string> } | undefined => {
    const hit = exact.get(pathname);
    if (hit) return { module: hit, params: {} };
    const parts = pathname.split("/");
    for (const p of patterns) {
      if (p.segments.length !== parts.length) continue;
      const params: Record<string, string> = {};
      let ok = true;
      for (let i = 0; i < parts.length && ok; i++) {
        const seg = p.segments[i]!;
        if (seg.startsWith(":")) {
          if (!parts[i]) ok = false;
          else params[seg.slice(1)] = decodeURIComponent(parts[i]!);
        } else ok = seg === parts[i];
      }
      if (ok) return { module: p.module, params };
    }
    return undefined;
  };
}

/**
 * The client's address as the ingress saw it (Express `req.ip`: the socket's peer, or the address
 * the trusted proxies recorded when TRUST_PROXY_HOPS > 0). Always set by the ingress; a header of
 * this name sent by a client is overwritten, so routes may rely on it (e.g. counting /r/ visitors).
 */
export const CLIENT_ADDRESS_HEADER = "x-linecrm-client-address";

/** The client's address of a Node request: the peer, or what the trusted proxies recorded. */
type ClientAddressOf = (req: IncomingMessage) => string;

/**
 * The client's address exactly as Express's `req.ip` gives it for `app` (its "trust proxy" setting,
 * i.e. TRUST_PROXY_HOPS): `proxy-addr` with the trust function Express compiled — the same library
 * and function `req.ip` uses, so the hot path and Remix agree on who a visitor is.
 */
function clientAddressFor(app: Express): ClientAddressOf {
  return (req) => {
    const trust = app.get("trust proxy fn") as (addr: string, i: number) => boolean;
    return proxyaddr(req, trust) ?? req.socket.remoteAddress ?? "";
  };
}

function fetchHeaders(req: IncomingMessage, clientAddress: string): Headers {
  const headers = new Headers();
  for (const [key, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) headers.append(key, v);
    else headers.set(key, value);
  }
  headers.set(CLIENT_ADDRESS_HEADER, clientAddress);
  return headers;
}

function origin(req: IncomingMessage): string {
  const host = req.headers.host;
  return host && /^[A-Za-z0-9.:[\]-]+$/.test(host) ? `http://${host}` : "http://localhost";
}

function sendPayloadTooLarge(res: ServerResponse, limit: number) {
  // Connection: close — Node stops reading the rest of the body and closes after this answer.
  res.writeHead(413, { "content-type": "text/plain", connection: "close" });
  res.end(`payload too large (limit ${limit} bytes)`);
}

async function writeResponse(res: ServerResponse, response: Response) {
  res.statusCode = response.status;
  if (response.statusText) res.statusMessage = response.statusText;
  for (const [key, value] of response.headers) res.appendHeader(key, value);
  if (response.body) await writeReadableStreamToWritable(response.body, res);
  else res.end();
}

/** Reads the body of a non-GET request with its path's cap; undefined for GET/HEAD. */
async function cappedBody(req: IncomingMessage, pathname: string): Promise<Buffer | undefined> {
  if (req.method === "GET" || req.method === "HEAD") return undefined;
  return readNodeBody(req, bodyLimitFor(pathname));
}

/** A Node request handler with a fall-through: `next()` hands the request on, `next(err)` fails it. */
type NodeHandler = (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void;

/**
 * Serves the hot routes from their own modules (POST → hotPost or action, GET/HEAD → hotGet or
 * loader) from Node's own request; a method the module does not export, and any other path, goes on
 * to `next()` (Express → Remix). `clientAddress` gives CLIENT_ADDRESS_HEADER's value.
 */
function hotPathHandler(routes: HotRoute[], clientAddress: ClientAddressOf): NodeHandler {
  const match = compile(routes);
  return (req, res, next) => {
    const url = req.url ?? "/";
    const q = url.indexOf("?");
    const pathname = q < 0 ? url : url.slice(0, q);
    const hit = match(pathname);
    const get = req.method === "GET" || req.method === "HEAD";
    if (hit && get && hit.module.hotGet) {
      const hotGet = hit.module.hotGet;
      void (async () => {
        const answer = await hotGet({
          params: hit.params,
          query: new URLSearchParams(q < 0 ? "" : url.slice(q + 1)),
          headers: req.headers,
          clientAddress: clientAddress(req),
        });
        res.writeHead(answer.status, answer.headers);
        res.end(req.method === "HEAD" ? undefined : answer.body);
      })().catch(next);
      return;
    }
    if (hit && req.method === "POST" && hit.module.hotPost) {
      const hotPost = hit.module.hotPost;
      void (async () => {
        let body: Buffer;
        try {
          body = (await cappedBody(req, pathname))!;
        } catch (err) {
          if (err instanceof PayloadTooLargeError) return sendPayloadTooLarge(res, err.limit);
          throw err;
        }
        const answer = await hotPost({ params: hit.params, headers: req.headers, body });
        res.writeHead(answer.status, answer.headers);
        res.end(answer.body);
      })().catch(next);
      return;
    }
    const fn = hit && (get ? hit.module.loader : hit.module.action);
    if (!hit || !fn) return next();
    void (async () => {
      let body: Buffer | undefined;
      try {
        body = await cappedBody(req, pathname);
      } catch (err) {
        if (err instanceof PayloadTooLargeError) return sendPayloadTooLarge(res, err.limit);
        return next(err);
      }
      const request = new Request(origin(req) + url, {
        method: req.method,
        headers: fetchHeaders(req, clientAddress(req)),
        body: body && new Uint8Array(body.buffer as ArrayBuffer, body.byteOffset, body.length),
      });
      let response: Response;
      try {
        response = await fn({ request, params: hit.params, context: {} });
      } catch (thrown) {
        if (!(thrown instanceof Response)) {
          logger().error({ err: thrown, path: pathname }, "hot route failed");
          response = new Response("internal error", { status: 500 });
        } else response = thrown;
      }
      await writeResponse(res, response);
    })().catch(next);
  };
}

/**
 * The web server's request listener: the hot routes first, straight from Node's request (no Express
 * machinery on the paths that carry the load), everything else to `app` (Express: static files, then
 * Remix). A hot route's unexpected error is logged and answered 500 (the error Express would give).
 */
export function ingressListener(app: Express, routes: HotRoute[]): RequestListener {
  const hot = hotPathHandler(routes, clientAddressFor(app));
  return (req, res) =>
    hot(req, res, (err) => {
      if (err === undefined) return void app(req, res);
      logger().error({ err, path: req.url }, "hot route failed");
      if (res.headersSent) return void res.destroy();
      res.writeHead(500, { "content-type": "text/plain" });
      res.end("internal error");
    });
}

/**
 * Express handler for everything else: Remix (`handle` = @remix-run/node's createRequestHandler)
 * with the body already read under its path's cap. Mirrors @remix-run/express's request adapter
 * (host/port from X-Forwarded-Host or Host, abort when the client goes away).
 */
export function remixHandler(handle: (request: Request) => Promise<Response>): RequestHandler {
  return (req: ExpressRequest, res: ExpressResponse, next: NextFunction) => {
    void (async () => {
      let body: Buffer | undefined;
      try {
        body = await cappedBody(req, req.path);
      } catch (err) {
        if (err instanceof PayloadTooLargeError) return sendPayloadTooLarge(res, err.limit);
        throw err;
      }
      const forwardedPort = Number.parseInt(req.get("X-Forwarded-Host")?.split(":")[1] ?? "", 10);
      const hostPort = Number.parseInt(req.get("host")?.split(":")[1] ?? "", 10);
      const port = Number.isSafeInteger(forwardedPort) ? forwardedPort : Number.isSafeInteger(hostPort) ? hostPort : "";
      const url = new URL(`${req.protocol}://${req.hostname}${port ? `:${port}` : ""}${req.originalUrl}`);
      let controller: AbortController | null = new AbortController();
      res.on("finish", () => (controller = null));
      res.on("close", () => controller?.abort());
      const request = new Request(url.href, {
        method: req.method,
        headers: fetchHeaders(req, req.ip ?? req.socket.remoteAddress ?? ""),
        body: body && new Uint8Array(body.buffer as ArrayBuffer, body.byteOffset, body.length),
        signal: controller.signal,
      });
      await writeResponse(res, await handle(request));
    })().catch(next);
  };
}

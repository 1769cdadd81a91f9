/** The LINE platform emulator HTTP server (node:http). One origin serves api.line.me, api-data.line.me and access.line.me paths. */
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { checkMessages, checkRichMenu } from "./checks.js";
import { handleControl } from "./control.js";
import { FaultInjector, type ActiveFault } from "./faults.js";
import { bearer, readBody, sendJson, type ParsedRequest } from "./http-util.js";
import { newRequestId, UUID_RE } from "./ids.js";
import { handleLogin, isLoginPath, loginOperationId } from "./login.js";
import { ApiError, handlers, MESSAGE_BODY_OPERATIONS, SEND_OPERATIONS, type OpContext, type OpResult } from "./messaging.js";
import { RateLimiter, type RateLimit } from "./rate-limit.js";
import { defaultSpecDir, loadSpecValidator, type ErrorDetail, type SpecValidator } from "./spec-validator.js";
import { EmulatorState, type ChannelState } from "./state.js";
import { sendEvents, type WebhookEventInput } from "./webhook.js";

export const RETRY_KEY_TTL_MS = 24 * 3600 * 1000;

export interface LineEmulatorOptions {
  host?: string;
  port?: number;
  specDir?: string;
  rateLimits?: Partial<Record<string, RateLimit>>;
  log?: (msg: string) => void;
  /** Timeout for webhook POSTs toward the app (default 10 s; LINE itself gives up after ~2 s). */
  webhookTimeoutMs?: number;
  /** Validate every 2xx JSON response against the spec's response schema; problems are logged and recorded in the request log (responseErrors). Meant for tests. */
  validateResponses?: boolean;
}

export interface LineEmulator {
  url: string;
  apiBaseUrl: string;
  dataBaseUrl: string;
  loginBaseUrl: string;
  state: EmulatorState;
  faults: FaultInjector;
  rateLimiter: RateLimiter;
  /** Sends webhook events to the channel's webhookUrl (same as POST /__emulator/channels/{id}/webhook-events). */
  sendWebhookEvents(channelId: string, events: WebhookEventInput[]): ReturnType<typeof sendEvents>;
  /** Validates a webhook body against webhook.yml's CallbackRequest (incl. event subtypes); [] when valid. */
  validateWebhookPayload(payload: unknown): ErrorDetail[];
  close(): Promise<void>;
}

const AUTH_FAILED = "Authentication failed. Confirm that the access token in the authorization header is valid.";

function firstValues(sp: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of sp) if (!(k in out)) out[k] = v;
  return out;
}

export async function startLineEmulator(opts: LineEmulatorOptions = {}): Promise<LineEmulator> {
  const log = opts.log ?? (() => {});
  const validator: SpecValidator = await loadSpecValidator(opts.specDir ?? defaultSpecDir());
  const state = new EmulatorState();
  const faults = new FaultInjector();
  const limiter = new RateLimiter(opts.rateLimits);
  const webhookTimeoutMs = opts.webhookTimeoutMs ?? 10_000;
  const send = (cs: ChannelState, events: WebhookEventInput[]) => sendEvents(state, cs, events, webhookTimeoutMs);
  let origin = "";

  async function applyFault(req: ParsedRequest, res: ServerResponse, operationId: string | undefined, cs?: ChannelState): Promise<boolean> {
    const f: ActiveFault | undefined = faults.take({
      method: req.method,
      path: req.path,
      operationId,
    });
    if (!f) return false;
    if (f.delayMs) await new Promise((r) => setTimeout(r, f.delayMs));
    const entry = {
      requestId: req.requestId,
      time: Date.now(),
      method: req.method,
      path: req.path,
      operationId,
      status: 0,
      fault: "",
    };
    if (f.drop) {
      entry.fault = "drop";
      if (cs) state.logRequest(cs, entry);
      log(`fault: drop ${req.method} ${req.path}`);
      res.socket?.destroy();
      return true;
    }
    if (f.status) {
      entry.status = f.status;
      entry.fault = `status ${f.status}`;
      if (cs) state.logRequest(cs, entry);
      const message = f.status === 429 ? "Too many requests" : f.status >= 500 ? "Internal server error" : "Injected fault";
      sendJson(res, f.status, f.body ?? { message });
      return true;
    }
    return false; // delay only: continue normally
  }

  async function handleApi(req: ParsedRequest, res: ServerResponse): Promise<void> {
    const matched = validator.match({ method: req.method, path: req.path });
    if (!matched) {
      // a fault with pathPrefix may still target unknown paths
      if (await applyFault(req, res, undefined)) return;
      sendJson(res, 404, { message: "Not found" });
      return;
    }
    const opId = matched.operationId;
    const token = bearer(req);
    const cs = token ? state.channelByToken(token) : undefined;
    if (await applyFault(req, res, opId, cs)) return;
    if (!cs) {
      sendJson(res, 401, { message: AUTH_FAILED });
      return;
    }
    const retryKeyHeader = req.headers["x-line-retry-key"];
    const retryKey = Array.isArray(retryKeyHeader) ? retryKeyHeader[0] : retryKeyHeader;
    const now = Date.now();
    const logEntry = {
      requestId: req.requestId,
      time: now,
      method: req.method,
      path: req.path,
      operationId: opId,
      status: 0,
      retryKey,
      error: undefined as string | undefined,
    };
    const finish = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      logEntry.status = status;
      if (opts.validateResponses && status < 300) {
        const errs = validator.validateResponse(matched, status, body);
        if (errs.length) {
          (logEntry as { responseErrors?: ErrorDetail[] }).responseErrors = errs;
          log(`response of ${opId} does not match the spec: ${JSON.stringify(errs)}`);
        }
      }
      if (status >= 400 && body && typeof body === "object") logEntry.error = String((body as { message?: unknown }).message ?? "");
      state.logRequest(cs, logEntry);
      log(`${req.method} ${req.path} ${opId} → ${status}`);
      sendJson(res, status, body, headers);
    };

    if (!limiter.hit(cs.channel.channelId, opId, now)) return finish(429, { message: "Too many requests" });

    if (retryKey !== undefined) {
      if (!SEND_OPERATIONS.has(opId))
        return finish(400, {
          message: "The X-Line-Retry-Key header cannot be used with this API",
        });
      if (!UUID_RE.test(retryKey))
        return finish(400, {
          message: "The request has 1 error(s)",
          details: [{ message: "must be a UUID", property: "X-Line-Retry-Key" }],
        });
    }

    // body
    let body: unknown = undefined;
    const isBinaryOp = opId === "setRichMenuImage";
    if (isBinaryOp) body = req.rawBody;
    else if (req.rawBody.length > 0) {
      const text = req.rawBody.toString("utf8");
      if ((req.contentType ?? "").includes("json") || /^\s*[[{]/.test(text)) {
        try {
          body = JSON.parse(text);
        } catch {
          return finish(400, {
            message: "The request body could not be parsed as JSON",
          });
        }
      }
    }

    // spec + hand-written validation
    const details: ErrorDetail[] = validator.validate(
      {
        method: req.method,
        path: req.path,
        headers: req.headers,
        query: req.query,
        body,
      },
      matched,
    );
    if (body && typeof body === "object" && !Buffer.isBuffer(body)) {
      const o = body as Record<string, unknown>;
      if (MESSAGE_BODY_OPERATIONS.has(opId)) checkMessages(o.messages, details);
      if (opId === "createRichMenu" || opId === "validateRichMenuObject") details.push(...checkRichMenu(o));
    }
    if (details.length) {
      const seen = new Set<string>();
      const uniq = details.filter((d) => (seen.has(d.property + d.message) ? false : (seen.add(d.property + d.message), true)));
      return finish(400, {
        message: `The request body has ${uniq.length} error(s)`,
        details: uniq,
      });
    }

    // retry-key dedupe
    if (retryKey) {
      for (const [k, v] of cs.retryKeys) if (now - v.time > RETRY_KEY_TTL_MS) cs.retryKeys.delete(k);
      const prev = cs.retryKeys.get(retryKey);
      if (prev) {
        const b: Record<string, unknown> = {
          message: "The retry key is already accepted",
        };
        if (prev.sentMessages) b.sentMessages = prev.sentMessages;
        return finish(409, b, { "x-line-accepted-request-id": prev.requestId });
      }
    }

    const handler = handlers[opId];
    if (!handler)
      return finish(404, {
        message: `Not found (operation ${opId} is not implemented by the LINE emulator)`,
      });
    const ctx: OpContext = {
      state,
      cs,
      op: matched,
      body,
      rawBody: req.rawBody,
      contentType: req.contentType,
      query: req.query,
      requestId: req.requestId,
      retryKey,
      now,
    };
    let result: OpResult;
    try {
      result = await handler(ctx);
    } catch (e) {
      if (e instanceof ApiError)
        return finish(e.status, e.details ? { message: e.message, details: e.details } : { message: e.message }, e.headers);
      throw e;
    }
    if (retryKey && result.status >= 200 && result.status < 300) {
      const sm = (result.json as { sentMessages?: unknown } | undefined)?.sentMessages;
      cs.retryKeys.set(retryKey, {
        requestId: req.requestId,
        time: now,
        sentMessages: sm,
      });
    }
    if (result.binary) {
      logEntry.status = result.status;
      state.logRequest(cs, logEntry);
      res.writeHead(result.status, {
        "content-type": result.binary.contentType,
        "content-length": result.binary.data.length,
        ...result.headers,
      });
      res.end(result.binary.data);
      return;
    }
    finish(result.status, result.json ?? {}, result.headers);
  }

  async function onRequest(raw: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = newRequestId();
    res.setHeader("x-line-request-id", requestId);
    const url = new URL(raw.url ?? "/", origin || "http://localhost");
    let rawBody: Buffer;
    try {
      rawBody = await readBody(raw);
    } catch {
      sendJson(res, 413, { message: "Request entity too large" });
      return;
    }
    const req: ParsedRequest = {
      method: (raw.method ?? "GET").toUpperCase(),
      url,
      path: url.pathname,
      query: firstValues(url.searchParams),
      headers: raw.headers,
      rawBody,
      contentType: raw.headers["content-type"],
      requestId,
    };
    if (req.path === "/__emulator" || req.path.startsWith("/__emulator/")) {
      await handleControl(req, res, {
        state,
        faults,
        limiter,
        sendEvents: send,
        webhookTimeoutMs,
        info,
      });
      return;
    }
    if (isLoginPath(req.path)) {
      const opId = loginOperationId(req);
      if (await applyFault(req, res, opId)) return;
      await handleLogin(req, res, { state, sendEvents: send, log });
      log(`${req.method} ${req.path} → ${res.statusCode}`);
      return;
    }
    await handleApi(req, res);
  }

  const server = http.createServer((req, res) => {
    onRequest(req, res).catch((e: unknown) => {
      log(`internal error: ${e instanceof Error ? e.stack : String(e)}`);
      if (!res.headersSent)
        sendJson(res, 500, {
          message: "Internal server error (emulator bug)",
          error: e instanceof Error ? e.message : String(e),
        });
      else res.end();
    });
  });
  server.keepAliveTimeout = 5000;

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, opts.host ?? "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const addr = server.address() as AddressInfo;
  const host = addr.family === "IPv6" ? `[${addr.address}]` : addr.address;
  origin = `http://${host === "0.0.0.0" ? "127.0.0.1" : host}:${addr.port}`;
  function info() {
    return {
      url: origin,
      apiBaseUrl: origin,
      dataBaseUrl: origin,
      loginBaseUrl: origin,
      channels: state.channels.size,
      users: state.users.size,
    };
  }

  return {
    url: origin,
    apiBaseUrl: origin,
    dataBaseUrl: origin,
    loginBaseUrl: origin,
    state,
    faults,
    rateLimiter: limiter,
    sendWebhookEvents: (channelId, events) => send(state.mustChannel(channelId), events),
    validateWebhookPayload: (payload) =>
      validator.validateSchema("webhook", "CallbackRequest", typeof payload === "string" ? JSON.parse(payload) : payload),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** JSON control / inspection API under /__emulator (no auth; for tests, the sandbox and humans). */
import type { ServerResponse } from "node:http";
import type { FaultInjector, FaultSpec } from "./faults.js";
import { sendHtml, sendJson, type ParsedRequest } from "./http-util.js";
import { phoneIndex, phonePage } from "./phone-page.js";
import type { RateLimit, RateLimiter } from "./rate-limit.js";
import {
  ConflictError,
  NotFoundError,
  publicMessage,
  publicRichMenu,
  type CreateChannelInput,
  type CreateUserInput,
  type EmulatorState,
  type Friendship,
  type ChannelState,
} from "./state.js";
import { postWebhook, sign, type WebhookEventInput, type WebhookResult } from "./webhook.js";

type AnyObj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface ControlDeps {
  state: EmulatorState;
  faults: FaultInjector;
  limiter: RateLimiter;
  sendEvents: (cs: ChannelState, events: WebhookEventInput[]) => Promise<WebhookResult & { events?: Record<string, unknown>[] }>;
  webhookTimeoutMs: number;
  info: () => Record<string, unknown>;
}

class HttpError extends Error {
  constructor(
    public status: number,
    message: string,
  ) {
    super(message);
  }
}

function json(req: ParsedRequest): AnyObj {
  if (req.rawBody.length === 0) return {};
  try {
    const v = JSON.parse(req.rawBody.toString("utf8"));
    if (typeof v !== "object" || v === null) throw new Error();
    return v as AnyObj;
  } catch {
    throw new HttpError(400, "body must be a JSON object");
  }
}

function channelView(cs: ChannelState) {
  return {
    ...cs.channel,
    friendCount: [...cs.friendships.values()].filter((f) => f === "friend").length,
    richMenuCount: cs.richMenus.size,
    defaultRichMenuId: cs.defaultRichMenuId ?? null,
  };
}

export async function handleControl(req: ParsedRequest, res: ServerResponse, deps: ControlDeps): Promise<void> {
  try {
    await route(req, res, deps);
  } catch (e) {
    if (e instanceof HttpError) sendJson(res, e.status, { message: e.message });
    else if (e instanceof NotFoundError) sendJson(res, 404, { message: e.message });
    else if (e instanceof ConflictError) sendJson(res, 409, { message: e.message });
    else
      sendJson(res, 500, {
        message: e instanceof Error ? e.message : String(e),
      });
  }
}

async function route(req: ParsedRequest, res: ServerResponse, deps: ControlDeps): Promise<void> {
  const { state } = deps;
  const seg = req.path.split("/").filter(Boolean).map(decodeURIComponent); // ["__emulator", ...]
  const m = req.method;
  const at = (...p: string[]) => seg.length === p.length + 1 && p.every((x, i) => x === "*" || x === seg[i + 1]);

  if (at("health") || (seg.length === 1 && m === "GET")) return sendJson(res, 200, { ok: true, ...deps.info() });
  if (at("reset") && m === "POST") {
    state.reset();
    deps.faults.clear();
    deps.limiter.reset();
    return sendJson(res, 200, { ok: true });
  }
  // ---- faults / rate limits
  if (at("faults")) {
    if (m === "POST") {
      const body = json(req) as FaultSpec;
      if (body.status === undefined && !body.drop && body.delayMs === undefined)
        throw new HttpError(400, "fault needs status, drop or delayMs");
      return sendJson(res, 200, deps.faults.add(body));
    }
    if (m === "DELETE") {
      deps.faults.clear();
      return sendJson(res, 200, { ok: true });
    }
    if (m === "GET") return sendJson(res, 200, { faults: deps.faults.list() });
  }
  if (at("rate-limits") && m === "POST") {
    deps.limiter.set(json(req) as Record<string, RateLimit | null>);
    return sendJson(res, 200, { ok: true });
  }
  // ---- channels
  if (at("channels")) {
    if (m === "POST") {
      const ch = state.createChannel(json(req) as CreateChannelInput);
      return sendJson(res, 201, channelView(state.mustChannel(ch.channelId)));
    }
    if (m === "GET")
      return sendJson(res, 200, {
        channels: [...state.channels.values()].map(channelView),
      });
  }
  if (seg[1] === "channels" && seg.length >= 3) {
    const cs = state.mustChannel(seg[2]);
    const chId = cs.channel.channelId;
    if (at("channels", "*")) {
      if (m === "GET") return sendJson(res, 200, channelView(cs));
      if (m === "PATCH") {
        state.updateChannel(chId, json(req));
        return sendJson(res, 200, channelView(cs));
      }
    }
    if (at("channels", "*", "users", "*") && m === "GET") return sendJson(res, 200, state.userView(cs, seg[4]));
    if (at("channels", "*", "friends") && m === "POST") {
      const body = json(req);
      const list: AnyObj[] = Array.isArray(body.users) ? body.users : [body];
      for (const x of list) {
        if (!x.userId) throw new HttpError(400, "userId required");
        state.ensureUser(x.userId);
        state.setFriendship(cs, x.userId, (x.state ?? x.friendship ?? "friend") as Friendship);
      }
      return sendJson(res, 200, { ok: true, count: list.length });
    }
    if (at("channels", "*", "messages") && m === "GET") {
      const since = req.query.since ? Number(req.query.since) : undefined;
      const sinceSeq = req.query.sinceSeq ? Number(req.query.sinceSeq) : undefined;
      const src = req.query.userId ? (cs.messagesByUser.get(req.query.userId) ?? []) : cs.messages;
      const limit = req.query.limit ? Number(req.query.limit) : 1000;
      const list = src.filter(
        (x) =>
          (since === undefined || x.time >= since) &&
          (sinceSeq === undefined || x.seq > sinceSeq) &&
          (!req.query.kind || x.kind === req.query.kind),
      );
      return sendJson(res, 200, {
        total: list.length,
        messages: list.slice(-limit).map(publicMessage),
      });
    }
    if (at("channels", "*", "requests") && m === "GET") {
      let list = cs.requests;
      if (req.query.operationId) list = list.filter((r) => r.operationId === req.query.operationId);
      return sendJson(res, 200, { requests: list });
    }
    if (at("channels", "*", "webhooks") && m === "GET") return sendJson(res, 200, { deliveries: cs.webhooks });
    if (at("channels", "*", "richmenus") && m === "GET")
      return sendJson(res, 200, {
        defaultRichMenuId: cs.defaultRichMenuId ?? null,
        richmenus: [...cs.richMenus.values()].map((x) => ({
          ...publicRichMenu(x),
          hasImage: !!x.image,
          image: x.image
            ? {
                contentType: x.image.contentType,
                width: x.image.width,
                height: x.image.height,
                bytes: x.image.data.length,
              }
            : null,
        })),
        aliases: Object.fromEntries(cs.aliases),
        userLinks: cs.userRichMenus.size,
      });
    if (at("channels", "*", "richmenus", "*", "image") && m === "GET") {
      const menu = cs.richMenus.get(seg[4]);
      if (!menu?.image) throw new HttpError(404, "no image");
      res.writeHead(200, {
        "content-type": menu.image.contentType,
        "content-length": menu.image.data.length,
        "cache-control": "no-cache",
      });
      res.end(menu.image.data);
      return;
    }
    if (at("channels", "*", "webhook-events") && m === "POST") {
      const body = json(req);
      const events: AnyObj[] = Array.isArray(body.events) ? body.events : [body];
      for (const e of events) {
        if (!["follow", "unfollow", "message", "postback", "accountLink"].includes(e.type))
          throw new HttpError(400, `unsupported event type ${e.type}`);
        if (typeof e.userId !== "string") throw new HttpError(400, "userId required");
        // LINE sends follow/unfollow/accountLink only from the 1:1 chat.
        if ((e.groupId || e.roomId) && !["message", "postback"].includes(e.type))
          throw new HttpError(400, `${e.type} events come only from a 1:1 chat (no groupId/roomId)`);
      }
      const r = await deps.sendEvents(cs, events as WebhookEventInput[]);
      return sendJson(res, 200, {
        status: r.status,
        body: r.body,
        error: r.error,
        sent: r.sent,
        events: r.events,
        payload: r.payload,
        signature: r.signature,
      });
    }
    if (at("channels", "*", "webhook-raw") && m === "POST") {
      const body = json(req);
      const payload =
        typeof body.body === "string" ? body.body : JSON.stringify(body.body ?? { destination: cs.channel.botUserId, events: [] });
      let signature = typeof body.signature === "string" ? body.signature : sign(payload, cs.channel.channelSecret);
      if (body.badSignature) signature = sign(payload, "wrong-" + cs.channel.channelSecret);
      const r = await postWebhook(state, cs, payload, signature, {
        timeoutMs: deps.webhookTimeoutMs,
        extraHeaders: body.headers,
      });
      return sendJson(res, 200, {
        status: r.status,
        body: r.body,
        error: r.error,
        sent: r.sent,
        payload,
        signature,
      });
    }
  }
  // ---- users
  if (at("users")) {
    if (m === "POST") {
      const body = json(req);
      if (Array.isArray(body.users)) {
        const created = (body.users as CreateUserInput[]).map((u) => state.createUser(u));
        return sendJson(res, 201, {
          count: created.length,
          userIds: created.map((u) => u.userId),
        });
      }
      return sendJson(res, 201, state.createUser(body as CreateUserInput));
    }
    if (m === "GET") {
      const limit = Number(req.query.limit ?? 1000);
      return sendJson(res, 200, {
        total: state.users.size,
        users: [...state.users.values()].slice(0, limit),
      });
    }
  }
  if (at("users", "*") && m === "GET") {
    const u = state.users.get(seg[2]);
    if (!u) throw new HttpError(404, "user not found");
    const channels = [...state.channels.values()].map((cs) => ({
      channelId: cs.channel.channelId,
      friendship: state.friendship(cs, u.userId),
      richMenuId: state.effectiveRichMenuId(cs, u.userId) ?? null,
    }));
    return sendJson(res, 200, { ...u, channels });
  }
  // ---- phone
  if (at("phone") && m === "GET") return sendHtml(res, 200, phoneIndex(state));
  if (at("phone", "*", "*", "tap") && m === "POST") {
    // Simulates the user: tap a rich-menu area ({richMenuId?, area}) or send a text ({text}); form or JSON body.
    const cs = state.mustChannel(seg[2]);
    const userId = seg[3];
    const f = (req.contentType ?? "").includes("json") ? json(req) : Object.fromEntries(new URLSearchParams(req.rawBody.toString("utf8")));
    let result: WebhookResult | undefined;
    let switched: string | undefined;
    if (typeof f.text === "string" && f.text !== "") result = await deps.sendEvents(cs, [{ type: "message", userId, text: f.text }]);
    else if (f.area !== undefined) {
      const menuId = (f.richMenuId as string | undefined) ?? cs.displayOverride.get(userId) ?? state.effectiveRichMenuId(cs, userId);
      const area = menuId ? cs.richMenus.get(menuId)?.areas[Number(f.area)] : undefined;
      if (!area) throw new HttpError(404, "no such rich menu area");
      const a = area.action as AnyObj;
      if (a.type === "message") result = await deps.sendEvents(cs, [{ type: "message", userId, text: String(a.text ?? "") }]);
      else if (a.type === "postback") result = await deps.sendEvents(cs, [{ type: "postback", userId, data: String(a.data ?? "") }]);
      else if (a.type === "datetimepicker")
        result = await deps.sendEvents(cs, [
          {
            type: "postback",
            userId,
            data: String(a.data ?? ""),
            params: {
              [a.mode === "time" ? "time" : a.mode === "date" ? "date" : "datetime"]:
                a.mode === "time" ? "12:00" : a.mode === "date" ? "2026-01-01" : "2026-01-01T12:00",
            },
          },
        ]);
      else if (a.type === "richmenuswitch") {
        const target = cs.aliases.get(String(a.richMenuAliasId));
        if (target) {
          cs.displayOverride.set(userId, target);
          switched = target;
        }
        result = await deps.sendEvents(cs, [
          {
            type: "postback",
            userId,
            data: String(a.data ?? ""),
            params: { newRichMenuAliasId: String(a.richMenuAliasId), status: target ? "SUCCESS" : "RICHMENU_ALIAS_ID_NOTFOUND" },
          },
        ]);
      } else throw new HttpError(400, `action type ${a.type} cannot be simulated (uri actions just open the link)`);
    } else throw new HttpError(400, "text or area required");
    if ((req.contentType ?? "").includes("json")) return sendJson(res, 200, { webhook: result ?? null, switchedTo: switched ?? null });
    res.writeHead(303, { location: `/__emulator/phone/${encodeURIComponent(cs.channel.channelId)}/${encodeURIComponent(userId)}` });
    res.end();
    return;
  }
  if (at("phone", "*", "*") && m === "GET") {
    const cs = state.mustChannel(seg[2]);
    return sendHtml(res, 200, phonePage(state, cs, seg[3], Number(req.query.refresh ?? 3) || 3));
  }
  throw new HttpError(404, `unknown control endpoint ${m} ${req.path}`);
}

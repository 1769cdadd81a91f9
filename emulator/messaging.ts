/** Stateful handlers for Messaging API / Manage Audience operations (keyed by operationId). */
import { checkRichMenuImage, MAX_RICH_MENUS } from "./checks.js";
import { hex, newMessageId, newRichMenuId, newToken, USER_ID_RE } from "./ids.js";
import type { ErrorDetail, MatchedOperation } from "./spec-validator.js";
import { publicRichMenu, type ChannelState, type EmulatorState, type RichMenu, type SendKind } from "./state.js";

type AnyObj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export class ApiError extends Error {
  constructor(
    public status: number,
    message: string,
    public details?: ErrorDetail[],
    public headers?: Record<string, string>,
  ) {
    super(message);
  }
}

export interface OpContext {
  state: EmulatorState;
  cs: ChannelState;
  op: MatchedOperation;
  body: unknown;
  rawBody: Buffer;
  contentType?: string;
  query: Record<string, string>;
  requestId: string;
  retryKey?: string;
  now: number;
}

export interface OpResult {
  status: number;
  json?: unknown;
  binary?: { data: Buffer; contentType: string };
  headers?: Record<string, string>;
}

export const LINK_TOKEN_TTL_MS = 10 * 60_000;

const ok = (json: unknown = {}, status = 200): OpResult => ({ status, json });
const b = (ctx: OpContext): AnyObj => (ctx.body && typeof ctx.body === "object" ? (ctx.body as AnyObj) : {});

function menuOr404(ctx: OpContext, id: string): RichMenu {
  const m = ctx.cs.richMenus.get(id);
  if (!m) throw new ApiError(404, "richmenu not found");
  return m;
}

function requireImage(m: RichMenu): void {
  if (!m.image) throw new ApiError(400, "must upload richmenu image before applying it to user");
}

/** Recipient accounting shared by all send operations. */
function send(
  ctx: OpContext,
  kind: SendKind,
  candidates: Iterable<string>,
  messages: AnyObj[],
  opts: { upToRemainingQuota?: boolean; max?: number } = {},
) {
  const { state, cs } = ctx;
  let recipients: string[] = [];
  const seen = new Set<string>();
  for (const u of candidates) {
    if (seen.has(u)) continue;
    seen.add(u);
    if (state.friendship(cs, u) === "friend") recipients.push(u);
  }
  if (opts.max !== undefined && recipients.length > opts.max) recipients = recipients.slice(0, opts.max);
  const ch = cs.channel;
  if (kind !== "reply" && ch.quota.type === "limited") {
    const remaining = Math.max(0, (ch.quota.value ?? 0) - ch.totalUsage);
    if (opts.upToRemainingQuota) recipients = recipients.slice(0, remaining);
    else if (recipients.length > remaining) throw new ApiError(429, "You have reached your monthly limit.");
  }
  const sentMessages = messages.map(() => ({
    id: newMessageId(),
    quoteToken: hex(16),
  }));
  for (const userId of recipients) {
    messages.forEach((m, i) =>
      state.deliver(cs, {
        messageId: recipients.length === 1 ? sentMessages[i].id : newMessageId(),
        userId,
        kind,
        requestId: ctx.requestId,
        retryKey: ctx.retryKey,
        time: ctx.now,
        message: m,
      }),
    );
  }
  if (kind !== "reply") ch.totalUsage += recipients.length;
  return { recipients, sentMessages };
}

function audienceMembers(ctx: OpContext, recipient: AnyObj | undefined): Set<string> | undefined {
  if (!recipient) return undefined;
  switch (recipient.type) {
    case "audience": {
      const a = ctx.cs.audiences.get(Number(recipient.audienceGroupId));
      if (!a) throw new ApiError(400, `audience group ${recipient.audienceGroupId} not found`);
      return new Set(a.userIds);
    }
    case "operator": {
      if (Array.isArray(recipient.and)) {
        const sets = recipient.and.map((r: AnyObj) => audienceMembers(ctx, r) ?? friendsSet(ctx));
        return new Set([...sets[0]].filter((u) => sets.every((s: Set<string>) => s.has(u))));
      }
      if (Array.isArray(recipient.or)) {
        const out = new Set<string>();
        for (const r of recipient.or) for (const u of audienceMembers(ctx, r) ?? friendsSet(ctx)) out.add(u);
        return out;
      }
      if (recipient.not) {
        const ex = audienceMembers(ctx, recipient.not) ?? new Set();
        return new Set([...friendsSet(ctx)].filter((u) => !ex.has(u)));
      }
      throw new ApiError(400, "operator recipient needs and/or/not", [{ message: "must be specified", property: "recipient.and" }]);
    }
    case "redelivery":
      throw new ApiError(400, "redelivery recipient is not supported by the emulator");
    default:
      return undefined;
  }
}

function friendsSet(ctx: OpContext): Set<string> {
  const out = new Set<string>();
  for (const [u, f] of ctx.cs.friendships) if (f === "friend") out.add(u);
  return out;
}

function audienceView(a: { audienceGroupId: number; description: string; created: number; userIds: Set<string>; isIfaAudience: boolean }) {
  return {
    audienceGroupId: a.audienceGroupId,
    type: "UPLOAD",
    description: a.description,
    status: "READY",
    audienceCount: a.userIds.size,
    created: Math.floor(a.created / 1000),
    permission: "READ_WRITE",
    createRoute: "MESSAGING_API",
    isIfaAudience: a.isIfaAudience,
    expireTimestamp: Math.floor(a.created / 1000) + 180 * 86400,
  };
}

export const handlers: Record<string, (ctx: OpContext) => OpResult | Promise<OpResult>> = {
  // ---------------------------------------------------------------- rich menus
  createRichMenu(ctx) {
    if (ctx.cs.richMenus.size >= MAX_RICH_MENUS)
      throw new ApiError(400, `The maximum number of rich menus (${MAX_RICH_MENUS}) has been reached`);
    const body = b(ctx);
    const m: RichMenu = {
      richMenuId: newRichMenuId(),
      size: { width: body.size.width, height: body.size.height },
      selected: !!body.selected,
      name: body.name,
      chatBarText: body.chatBarText,
      areas: body.areas,
      createdAt: ctx.now,
    };
    ctx.cs.richMenus.set(m.richMenuId, m);
    return ok({ richMenuId: m.richMenuId });
  },
  validateRichMenuObject: () => ok(),
  getRichMenu: (ctx) => ok(publicRichMenu(menuOr404(ctx, ctx.op.params.richMenuId))),
  getRichMenuList: (ctx) => ok({ richmenus: [...ctx.cs.richMenus.values()].map(publicRichMenu) }),
  deleteRichMenu(ctx) {
    const id = ctx.op.params.richMenuId;
    menuOr404(ctx, id);
    ctx.cs.richMenus.delete(id);
    if (ctx.cs.defaultRichMenuId === id) ctx.cs.defaultRichMenuId = undefined;
    for (const [u, r] of ctx.cs.userRichMenus) if (r === id) ctx.cs.userRichMenus.delete(u);
    return ok();
  },
  setRichMenuImage(ctx) {
    const m = menuOr404(ctx, ctx.op.params.richMenuId);
    if (m.image) throw new ApiError(400, "An image has already been uploaded to the richmenu");
    const r = checkRichMenuImage(ctx.rawBody, ctx.contentType);
    if (!r.ok) throw new ApiError(400, r.message ?? "invalid image");
    m.image = {
      data: Buffer.from(ctx.rawBody),
      contentType: r.contentType!,
      width: r.width!,
      height: r.height!,
    };
    return ok();
  },
  getRichMenuImage(ctx) {
    const m = menuOr404(ctx, ctx.op.params.richMenuId);
    if (!m.image) throw new ApiError(404, "Not found");
    return {
      status: 200,
      binary: { data: m.image.data, contentType: m.image.contentType },
    };
  },
  setDefaultRichMenu(ctx) {
    const m = menuOr404(ctx, ctx.op.params.richMenuId);
    requireImage(m);
    ctx.cs.defaultRichMenuId = m.richMenuId;
    return ok();
  },
  getDefaultRichMenuId(ctx) {
    if (!ctx.cs.defaultRichMenuId) throw new ApiError(404, "no default richmenu");
    return ok({ richMenuId: ctx.cs.defaultRichMenuId });
  },
  cancelDefaultRichMenu(ctx) {
    ctx.cs.defaultRichMenuId = undefined;
    return ok();
  },
  linkRichMenuIdToUser(ctx) {
    const { userId, richMenuId } = ctx.op.params;
    const m = menuOr404(ctx, richMenuId);
    requireImage(m);
    if (!USER_ID_RE.test(userId) || ctx.state.friendship(ctx.cs, userId) !== "friend")
      throw new ApiError(400, "The user hasn't added the LINE Official Account as a friend or the user ID is invalid");
    ctx.cs.userRichMenus.set(userId, richMenuId);
    ctx.cs.displayOverride.delete(userId);
    return ok();
  },
  unlinkRichMenuIdFromUser(ctx) {
    ctx.cs.userRichMenus.delete(ctx.op.params.userId);
    ctx.cs.displayOverride.delete(ctx.op.params.userId);
    return ok();
  },
  getRichMenuIdOfUser(ctx) {
    const id = ctx.cs.userRichMenus.get(ctx.op.params.userId);
    if (!id) throw new ApiError(404, "the user has no richmenu");
    return ok({ richMenuId: id });
  },
  linkRichMenuIdToUsers(ctx) {
    const body = b(ctx);
    const m = menuOr404(ctx, body.richMenuId);
    requireImage(m);
    for (const u of body.userIds as string[]) if (ctx.state.friendship(ctx.cs, u) === "friend") ctx.cs.userRichMenus.set(u, m.richMenuId);
    return ok({}, 202);
  },
  unlinkRichMenuIdFromUsers(ctx) {
    for (const u of b(ctx).userIds as string[]) ctx.cs.userRichMenus.delete(u);
    return ok({}, 202);
  },
  createRichMenuAlias(ctx) {
    const { richMenuAliasId, richMenuId } = b(ctx);
    if (ctx.cs.aliases.has(richMenuAliasId)) throw new ApiError(400, "conflict richmenu alias id");
    const m = menuOr404(ctx, richMenuId);
    requireImage(m);
    if (ctx.cs.aliases.size >= 1000) throw new ApiError(400, "The maximum number of rich menu aliases (1000) has been reached");
    ctx.cs.aliases.set(richMenuAliasId, richMenuId);
    return ok();
  },
  getRichMenuAlias(ctx) {
    const id = ctx.op.params.richMenuAliasId;
    const target = ctx.cs.aliases.get(id);
    if (!target) throw new ApiError(404, "richmenu alias not found");
    return ok({ richMenuAliasId: id, richMenuId: target });
  },
  updateRichMenuAlias(ctx) {
    const id = ctx.op.params.richMenuAliasId;
    if (!ctx.cs.aliases.has(id)) throw new ApiError(400, "richmenu alias not found");
    const m = menuOr404(ctx, b(ctx).richMenuId);
    requireImage(m);
    ctx.cs.aliases.set(id, m.richMenuId);
    return ok();
  },
  deleteRichMenuAlias(ctx) {
    const id = ctx.op.params.richMenuAliasId;
    if (!ctx.cs.aliases.delete(id)) throw new ApiError(400, "richmenu alias not found");
    return ok();
  },
  getRichMenuAliasList: (ctx) =>
    ok({
      aliases: [...ctx.cs.aliases].map(([richMenuAliasId, richMenuId]) => ({
        richMenuAliasId,
        richMenuId,
      })),
    }),
  validateRichMenuBatchRequest(ctx) {
    for (const o of (b(ctx).operations ?? []) as AnyObj[]) {
      if (o.type === "link" && (!ctx.cs.richMenus.has(o.from) || !ctx.cs.richMenus.has(o.to)))
        throw new ApiError(400, "richmenu not found");
      if (o.type === "unlink" && !ctx.cs.richMenus.has(o.from)) throw new ApiError(400, "richmenu not found");
    }
    return ok();
  },
  richMenuBatch(ctx) {
    handlers.validateRichMenuBatchRequest(ctx);
    for (const o of (b(ctx).operations ?? []) as AnyObj[]) {
      for (const [u, r] of [...ctx.cs.userRichMenus]) {
        if (o.type === "link" && r === o.from) ctx.cs.userRichMenus.set(u, o.to);
        else if (o.type === "unlink" && r === o.from) ctx.cs.userRichMenus.delete(u);
        else if (o.type === "unlinkAll") ctx.cs.userRichMenus.delete(u);
      }
    }
    ctx.cs.batches.set(ctx.requestId, {
      acceptedTime: ctx.now,
      completedTime: Date.now(),
    });
    return ok({}, 202);
  },
  getRichMenuBatchProgress(ctx) {
    const p = ctx.cs.batches.get(ctx.query.requestId ?? "");
    if (!p) throw new ApiError(404, "Not found");
    return ok({
      phase: "succeeded",
      acceptedTime: new Date(p.acceptedTime).toISOString(),
      completedTime: new Date(p.completedTime).toISOString(),
    });
  },

  // ---------------------------------------------------------------- messages
  replyMessage(ctx) {
    const body = b(ctx);
    const info = ctx.state.replyTokens.get(body.replyToken);
    if (!info || info.channelId !== ctx.cs.channel.channelId || info.used || info.expiresAt < ctx.now)
      throw new ApiError(400, "Invalid reply token");
    info.used = true;
    const { sentMessages } = send(ctx, "reply", [info.userId], body.messages);
    return ok({ sentMessages });
  },
  pushMessage(ctx) {
    const body = b(ctx);
    if (!USER_ID_RE.test(body.to) || !ctx.state.users.has(body.to)) throw new ApiError(400, "Failed to send messages");
    const { sentMessages } = send(ctx, "push", [body.to], body.messages);
    return ok({ sentMessages });
  },
  multicast(ctx) {
    const body = b(ctx);
    send(ctx, "multicast", body.to as string[], body.messages);
    return ok({});
  },
  broadcast(ctx) {
    send(ctx, "broadcast", friendsSet(ctx), b(ctx).messages);
    return ok({});
  },
  narrowcast(ctx) {
    const body = b(ctx);
    const members = audienceMembers(ctx, body.recipient) ?? friendsSet(ctx);
    const r = send(ctx, "narrowcast", members, body.messages, {
      upToRemainingQuota: body.limit?.upToRemainingQuota,
      max: body.limit?.max,
    });
    ctx.cs.narrowcasts.set(ctx.requestId, {
      acceptedTime: ctx.now,
      completedTime: Date.now(),
      successCount: r.recipients.length,
      targetCount: r.recipients.length,
    });
    return ok({}, 202);
  },
  getNarrowcastProgress(ctx) {
    const p = ctx.cs.narrowcasts.get(ctx.query.requestId ?? "");
    if (!p) throw new ApiError(404, "Not found");
    return ok({
      phase: "succeeded",
      successCount: p.successCount,
      failureCount: 0,
      targetCount: p.targetCount,
      acceptedTime: new Date(p.acceptedTime).toISOString(),
      completedTime: new Date(p.completedTime).toISOString(),
    });
  },
  validateReply: () => ok(),
  validatePush: () => ok(),
  validateMulticast: () => ok(),
  validateNarrowcast: () => ok(),
  validateBroadcast: () => ok(),
  getMessageQuota: (ctx) =>
    ok(ctx.cs.channel.quota.type === "limited" ? { type: "limited", value: ctx.cs.channel.quota.value ?? 0 } : { type: "none" }),
  getMessageQuotaConsumption: (ctx) => ok({ totalUsage: ctx.cs.channel.totalUsage }),

  // ---------------------------------------------------------------- users / bot
  getProfile(ctx) {
    const userId = ctx.op.params.userId;
    const u = ctx.state.users.get(userId);
    if (!u || ctx.state.friendship(ctx.cs, userId) !== "friend") throw new ApiError(404, "Not found");
    return ok({
      userId: u.userId,
      displayName: u.displayName,
      pictureUrl: u.pictureUrl,
      statusMessage: u.statusMessage,
      language: u.language,
    });
  },
  getFollowers(ctx) {
    const all = [...friendsSet(ctx)];
    const start = Number(ctx.query.start ?? 0) || 0;
    const limit = Math.min(1000, Number(ctx.query.limit ?? 300) || 300);
    const userIds = all.slice(start, start + limit);
    return ok(start + limit < all.length ? { userIds, next: String(start + limit) } : { userIds });
  },
  getBotInfo(ctx) {
    const ch = ctx.cs.channel;
    return ok({
      userId: ch.botUserId,
      basicId: ch.basicId,
      displayName: ch.displayName,
      chatMode: "bot",
      markAsReadMode: "manual",
    });
  },
  issueLinkToken(ctx) {
    const userId = ctx.op.params.userId;
    if (ctx.state.friendship(ctx.cs, userId) !== "friend")
      throw new ApiError(400, "The user hasn't added the LINE Official Account as a friend");
    const linkToken = newToken(24);
    ctx.state.linkTokens.set(linkToken, {
      channelId: ctx.cs.channel.channelId,
      userId,
      expiresAt: ctx.now + LINK_TOKEN_TTL_MS,
      used: false,
    });
    return ok({ linkToken });
  },
  getWebhookEndpoint(ctx) {
    const ch = ctx.cs.channel;
    return ok({
      endpoint: ch.webhookUrl ?? "",
      active: !!ch.webhookUrl && ch.webhookActive,
    });
  },
  setWebhookEndpoint(ctx) {
    const endpoint = b(ctx).endpoint;
    if (typeof endpoint !== "string" || !/^https:\/\//.test(endpoint) || endpoint.length > 500) {
      // LINE requires https; the emulator also accepts http://127.0.0.1 / localhost for local apps.
      if (!(typeof endpoint === "string" && /^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?\//.test(endpoint)))
        throw new ApiError(400, "Invalid webhook endpoint URL", [
          {
            message: "must be an https URL (max 500 characters)",
            property: "endpoint",
          },
        ]);
    }
    ctx.cs.channel.webhookUrl = endpoint;
    return ok();
  },
  showLoadingAnimation: () => ok({}, 202),

  // ---------------------------------------------------------------- audience
  createAudienceGroup(ctx) {
    const body = b(ctx);
    const id = ctx.state.nextAudienceId();
    const a = {
      audienceGroupId: id,
      description: body.description ?? "",
      created: ctx.now,
      userIds: new Set<string>((body.audiences ?? []).map((x: AnyObj) => x.id)),
      isIfaAudience: !!body.isIfaAudience,
    };
    ctx.cs.audiences.set(id, a);
    const v = audienceView(a);
    return ok(
      {
        audienceGroupId: id,
        createRoute: v.createRoute,
        type: v.type,
        description: v.description,
        created: v.created,
        permission: v.permission,
        expireTimestamp: v.expireTimestamp,
        isIfaAudience: v.isIfaAudience,
      },
      202,
    );
  },
  addAudienceToAudienceGroup(ctx) {
    const body = b(ctx);
    const a = ctx.cs.audiences.get(Number(body.audienceGroupId));
    if (!a) throw new ApiError(400, "audience group not found");
    for (const x of body.audiences ?? []) a.userIds.add(x.id);
    return ok({}, 202);
  },
  getAudienceData(ctx) {
    const a = ctx.cs.audiences.get(Number(ctx.op.params.audienceGroupId));
    if (!a) throw new ApiError(400, "audience group not found");
    return ok({ audienceGroup: audienceView(a), jobs: [] });
  },
  getAudienceGroups(ctx) {
    const all = [...ctx.cs.audiences.values()].map(audienceView);
    const page = Math.max(1, Number(ctx.query.page ?? 1) || 1);
    const size = Math.min(40, Number(ctx.query.size ?? 20) || 20);
    const slice = all.slice((page - 1) * size, page * size);
    return ok({
      audienceGroups: slice,
      hasNextPage: page * size < all.length,
      totalCount: all.length,
      readWriteAudienceGroupTotalCount: all.length,
      page,
      size,
    });
  },
  deleteAudienceGroup(ctx) {
    if (!ctx.cs.audiences.delete(Number(ctx.op.params.audienceGroupId))) throw new ApiError(400, "audience group not found");
    return ok();
  },
  updateAudienceGroupDescription(ctx) {
    const a = ctx.cs.audiences.get(Number(ctx.op.params.audienceGroupId));
    if (!a) throw new ApiError(400, "audience group not found");
    a.description = b(ctx).description ?? a.description;
    return ok();
  },
};

export const SEND_OPERATIONS = new Set(["pushMessage", "multicast", "narrowcast", "broadcast"]);
export const MESSAGE_BODY_OPERATIONS = new Set([
  "replyMessage",
  "pushMessage",
  "multicast",
  "narrowcast",
  "broadcast",
  "validateReply",
  "validatePush",
  "validateMulticast",
  "validateNarrowcast",
  "validateBroadcast",
]);

// `line-events.process-event` job: one recorded LineEvent → its effects. Idempotent: the row's status says whether it
// was handled; a retry after a crash re-runs only unfinished rows, and every effect is an upsert or
// guarded update. Keyword and postback handlers are listed below in the order they are tried (consent
// first, then linking, then rich-menu areas); follow/unfollow emit events whose reactions are in
// app/reactions.server.ts.
import type { Friend, LineEvent, Shop } from "@prisma/client";
import { db } from "~/db.server";
import { ensureFriend, upsertFollowedFriend } from "~/db/friends.server";
import { lineSecrets } from "~/db/shops.server";
import { parsePostbackData, profileIsStale } from "~/domain/linking/linking";
import { AccountLinkFields, FollowFields, LineWebhookEvent, MessageFields, PostbackFields } from "~/adapters/line/webhook.server";
import { lineChannel } from "~/adapters/line/client.server";
import { enqueue } from "~/adapters/queue/queues.server";
import { childLogger } from "~/adapters/logger.server";
import { completeAccountLink, startAccountLink } from "~/services/linking/account-link.server";
import { unlinkFriend } from "~/services/linking/links.server";
import { handleConsentEvent } from "~/services/consent/consent.server";
import { applyTagRules } from "~/services/tags/tags.server";
import { MENU_POSTBACK_HANDLERS } from "~/services/rich-menus/postbacks.server";
import { emit } from "~/reactions.server";
import type { HandlerResult, KeywordHandler, LineEventContext, PostbackHandler } from "~/services/line-event-handlers";
import { customerT } from "~/i18n/i18n.server";

const normalize = (s: string) => s.normalize("NFKC").trim().toLowerCase();
/** Keywords that start LINE-first linking / unlink (whole message, case-insensitive). */
const LINK_KEYWORDS = ["link", "連携", "アカウント連携"];
const UNLINK_KEYWORDS = ["unlink", "連携解除"];

/** A link / unlink word or postback: start LINE-first linking, or unlink by the shopper. */
async function link(action: "link" | "unlink" | null, ctx: LineEventContext): Promise<HandlerResult> {
  if (action === "unlink") {
    const r = await unlinkFriend(ctx.shop.id, ctx.friend.id, "shopper", ctx.at);
    await ctx.reply(customerT(ctx.shop)(r === "unlinked" ? "linking.unlinked" : "linking.notLinked"));
    return "handled";
  }
  if (action !== "link") return "pass";
  await startAccountLink(ctx.shop, ctx.friend.lineUserId, ctx.replyToken);
  return "handled";
}

/** An opt-out / opt-in word or postback (app/services/consent). */
async function consent(kind: "text" | "postback", value: string, ctx: LineEventContext): Promise<HandlerResult> {
  const r = await handleConsentEvent({
    shopId: ctx.shop.id,
    lineUserId: ctx.friend.lineUserId,
    kind,
    value,
    replyToken: ctx.replyToken,
    at: ctx.at,
  });
  return r ? "handled" : "pass";
}

const keywordAction = (text: string) => {
  const t = normalize(text);
  return UNLINK_KEYWORDS.includes(t) ? "unlink" : LINK_KEYWORDS.includes(t) ? "link" : null;
};

const consentKeyword: KeywordHandler = { name: "consent", handle: (text, ctx) => consent("text", text, ctx) };
const linkKeyword: KeywordHandler = { name: "link", handle: (text, ctx) => link(keywordAction(text), ctx) };
const consentPostback: PostbackHandler = { name: "consent", handle: (data, ctx) => consent("postback", data.raw, ctx) };
const linkPostback: PostbackHandler = {
  name: "link",
  handle: (data, ctx) => link(data.action === "link" || data.action === "unlink" ? data.action : null, ctx),
};

// Tried in this order until one answers "handled". Consent first: an opt-out word must never be
// taken for anything else.
const KEYWORD_HANDLERS: KeywordHandler[] = [consentKeyword, linkKeyword];
const POSTBACK_HANDLERS: PostbackHandler[] = [consentPostback, linkPostback, ...MENU_POSTBACK_HANDLERS];

export type EventOutcome = "processed" | "ignored" | "skipped";

/**
 * Only events from a user's 1:1 chat with the official account (source.type "user") say anything
 * about that user's friendship: a group or room event's userId is a member speaking where the bot is,
 * who may never have added the account (developers.line.biz/en/reference/messaging-api/#source-group).
 * Group/room events therefore create no friend, follow state, profile fetch, reply or tag.
 */
function isOneToOneChat(payload: unknown): boolean {
  return LineWebhookEvent.safeParse(payload).data?.source?.type === "user";
}

export async function processLineEvent(eventId: number, now = new Date()): Promise<EventOutcome> {
  const row = await db().lineEvent.findUnique({ where: { id: eventId } });
  if (!row || row.status === "processed" || row.status === "ignored") return "skipped";
  const shop = await db().shop.findUniqueOrThrow({ where: { id: row.shopId } });
  const log = childLogger({ shop: shop.domain, lineEventId: row.id, type: row.type });
  try {
    const outcome =
      shop.uninstalledAt || !row.lineUserId || !isOneToOneChat(row.payload) ? "ignored" : await applyEvent(shop, row, log, now);
    await db().lineEvent.update({ where: { id: row.id }, data: { status: outcome, processedAt: new Date(), error: null } });
    return outcome;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    await db().lineEvent.update({ where: { id: row.id }, data: { status: "failed", error: message.slice(0, 500) } });
    throw err;
  }
}

async function applyEvent(shop: Shop, row: LineEvent, log: ReturnType<typeof childLogger>, now: Date): Promise<EventOutcome> {
  const event = LineWebhookEvent.parse(row.payload);
  const at = new Date(event.timestamp);
  const userId = row.lineUserId!;
  const replyToken = event.replyToken;

  if (row.type === "unfollow") {
    // An unfollow older than the latest follow (out-of-order delivery) changes nothing.
    await db().friend.updateMany({
      where: { shopId: shop.id, lineUserId: userId, OR: [{ followedAt: null }, { followedAt: { lte: at } }] },
      data: { following: false, blockedAt: at },
    });
    // The link is kept (docs/linking.md): a shopper who unblocks is linked again at once.
    const blocked = await db().friend.findUnique({
      where: { shopId_lineUserId: { shopId: shop.id, lineUserId: userId } },
      select: { id: true },
    });
    if (blocked) await emit("friend.unfollowed", { shopId: shop.id, friendId: blocked.id }, `line-event-${row.id}`);
    return "processed";
  }

  let friend: Friend;
  if (row.type === "follow") {
    const f = FollowFields.parse(event);
    const existing = await db().friend.findUnique({ where: { shopId_lineUserId: { shopId: shop.id, lineUserId: userId } } });
    if (existing?.blockedAt && existing.blockedAt > at && !existing.following) return "ignored"; // stale follow
    const r = await upsertFollowedFriend(shop.id, userId, at);
    friend = r.friend;
    log.info({ friendId: friend.id, created: r.created, isUnblocked: f.follow?.isUnblocked ?? false }, "friend followed");
    await requestProfile(shop.id, friend, now, r.created);
    await emit("friend.followed", { shopId: shop.id, friendId: friend.id, isNew: r.created, at: now.getTime() }, `line-event-${row.id}`);
    return "processed";
  }

  friend = await ensureFriend(shop.id, userId, at);
  await requestProfile(shop.id, friend, now, false);
  const ctx = makeContext(shop, friend, replyToken, at, log);

  if (row.type === "message") {
    const m = MessageFields.safeParse(event);
    const text = m.success && m.data.message.type === "text" ? (m.data.message.text ?? "") : "";
    if (text) {
      for (const h of KEYWORD_HANDLERS) if ((await h.handle(text, ctx)) === "handled") break;
      await tagRules(shop.id, friend.id, "keyword", [text], log);
    }
    return "processed";
  }
  if (row.type === "postback") {
    const p = PostbackFields.parse(event);
    const data = parsePostbackData(p.postback.data);
    const menuId = data.menu && /^\d+$/.test(data.menu) ? Number(data.menu) : friend.richMenuId;
    await db().richMenuTap.create({
      data: { shopId: shop.id, friendId: friend.id, richMenuId: menuId, area: data.area ?? null, data: data.raw, at },
    });
    for (const h of POSTBACK_HANDLERS) if ((await h.handle(data, ctx)) === "handled") break;
    await tagRules(shop.id, friend.id, "menu_tap", [data.raw, ...(data.area ? [data.area] : [])], log);
    return "processed";
  }
  if (row.type === "accountLink") {
    const a = AccountLinkFields.parse(event);
    const r = await completeAccountLink({ shopId: shop.id, lineUserId: userId, nonce: a.link.nonce, result: a.link.result, now });
    log.info({ friendId: friend.id, outcome: r.outcome }, "account link");
    if (r.outcome === "linked") await ctx.reply(customerT(ctx.shop)("linking.linked"));
    return "processed";
  }
  return "ignored";
}

function makeContext(
  shop: Shop,
  friend: Friend,
  replyToken: string | undefined,
  at: Date,
  log: ReturnType<typeof childLogger>,
): LineEventContext {
  return {
    shop,
    friend,
    replyToken,
    at,
    async reply(text) {
      const secrets = lineSecrets(shop);
      if (!replyToken || !secrets) return false;
      const outcome = await lineChannel(secrets.channelAccessToken).reply({ replyToken, messages: [{ type: "text", text }] });
      if (outcome.kind !== "sent") log.warn({ outcome: outcome.kind, err: outcome.message }, "reply failed");
      return outcome.kind === "sent";
    },
  };
}

async function tagRules(
  shopId: number,
  friendId: number,
  kind: "keyword" | "menu_tap",
  values: string[],
  log: ReturnType<typeof childLogger>,
) {
  try {
    await applyTagRules({ shopId, friendId, kind, values });
  } catch (err) {
    log.warn({ err: err instanceof Error ? err.message : String(err) }, "tag rules failed");
  }
}

/** New friends get their profile at once; others when it is older than 7 days (one job per day). */
async function requestProfile(shopId: number, friend: Friend, now: Date, isNew: boolean) {
  if (!isNew && !profileIsStale(friend.profileFetchedAt, now)) return;
  const day = Math.floor(now.getTime() / 86_400_000);
  await enqueue(
    "line-events.refresh-profile",
    { shopId, friendId: friend.id },
    { jobId: `line-events.refresh-profile:${shopId}:${friend.id}:${day}` },
  );
}

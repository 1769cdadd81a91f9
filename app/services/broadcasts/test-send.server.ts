// Test sends: staff pick "test friends" (Friend.testFriend) once; a test send goes to them only,
// labelled as a test (domain/broadcasts/test-label.ts), and stores nothing but its MessageSend rows
// (kind "test", not marketing: they count toward no frequency cap). No broadcast row is created, so a
// test leaves no draft behind. Issue 10: a test send once went to 10 real customers.
import crypto from "node:crypto";
import type { Shop } from "@prisma/client";
import { db } from "~/db.server";
import { lineSecrets } from "~/db/shops.server";
import { lineChannel } from "~/adapters/line/client.server";
import { sendFailureReason, type SendFailureReason } from "~/domain/broadcasts/failures";
import { renderMessages } from "~/domain/broadcasts/personalize";
import { labelAsTest, type TestFriend } from "~/domain/broadcasts/test-label";
import { assertSendable } from "./broadcasts.server";
import { BroadcastError, MessagesSchema } from "./core.server";
import { lastProductByFriend } from "./delivery.server";

const friendName = (f: { id: number; displayName: string | null }) => f.displayName ?? `Friend ${f.id}`;

/** The shop's test friends. */
export async function listTestFriends(shopId: number): Promise<TestFriend[]> {
  const rows = await db().friend.findMany({
    where: { shopId, testFriend: true },
    select: { id: true, displayName: true, following: true, blockedAt: true },
    orderBy: { id: "asc" },
  });
  return rows.map((f) => ({ id: f.id, name: friendName(f), reachable: f.following && !f.blockedAt }));
}

/** Adds or removes a test friend. Returns false when the friend is not the shop's. */
export async function setTestFriend(shopId: number, friendId: number, testFriend: boolean): Promise<boolean> {
  const r = await db().friend.updateMany({ where: { id: friendId, shopId }, data: { testFriend } });
  return r.count === 1;
}

/** Friends whose display name contains `query` (any case), for the test-friend picker. */
export async function searchFriends(shopId: number, query: string, take = 20): Promise<Array<{ id: number; name: string }>> {
  const rows = await db().friend.findMany({
    where: { shopId, following: true, ...(query.trim() ? { displayName: { contains: query.trim(), mode: "insensitive" } } : {}) },
    select: { id: true, displayName: true },
    orderBy: { id: "asc" },
    take,
  });
  return rows.map((f) => ({ id: f.id, name: friendName(f) }));
}

export type TestSendResult = { sent: number; failed: Array<{ friendId: number; reason: SendFailureReason }> };

/**
 * Pushes `messages` (LINE message objects, personalised per friend) with a test label to every
 * reachable test friend. Errors: BroadcastError no_line_channel | no_test_friends | invalid_message.
 */
export async function sendTestMessages(shop: Shop, messages: unknown): Promise<TestSendResult> {
  const parsed = MessagesSchema.parse(messages);
  assertSendable(parsed);
  const secrets = lineSecrets(shop);
  if (!secrets) throw new BroadcastError("no_line_channel", "Connect a LINE channel first");
  const friends = await db().friend.findMany({ where: { shopId: shop.id, testFriend: true, following: true, blockedAt: null } });
  if (!friends.length) throw new BroadcastError("no_test_friends", "Choose at least one test friend");
  const channel = lineChannel(secrets.channelAccessToken);
  const last = await lastProductByFriend(
    shop.id,
    friends.map((f) => f.id),
  );
  const result: TestSendResult = { sent: 0, failed: [] };
  for (const f of friends) {
    const retryKey = crypto.randomUUID();
    const rendered = labelAsTest(renderMessages(parsed, { displayName: f.displayName, lastProduct: last.get(f.id) }));
    // A fresh key per test send: "duplicate" cannot happen, and a failure is shown, not retried.
    const outcome = await channel.push({ to: f.lineUserId, messages: rendered, retryKey });
    const error: SendFailureReason | null =
      outcome.kind === "sent" || outcome.kind === "duplicate" ? null : sendFailureReason(outcome.kind);
    if (error) result.failed.push({ friendId: f.id, reason: error });
    else result.sent++;
    await db().messageSend.create({
      data: {
        shopId: shop.id,
        friendId: f.id,
        kind: "test",
        sourceType: "broadcast_test",
        retryKey,
        status: error ? "failed" : "sent",
        error,
        sentAt: error ? null : new Date(),
      },
    });
  }
  return result;
}

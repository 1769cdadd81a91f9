// Write-back (docs/integrations.md "Write-back"): LINE user id, follow status and marketing consent
// go to the contact/profile a friend is matched to, through an outbox (IntegrationWriteBack).
// A friend change adds one row per matched contact, keyed by the friend's state version, so a
// retried job adds nothing; the drain job sends pending rows in batches and marks them done.
// Providers treat a repeated property write as a no-op and Klaviyo dedupes events by unique_id, so
// a row sent twice (a drain that died after sending) does no harm.
import { enqueue } from "~/adapters/queue/queues.server";
import { db } from "~/db.server";
import { IntegrationError, type Provider, type WriteBackEvent, type WriteBackProperties } from "~/domain/integrations/types";
import { connectorFor, markConnectionError } from "./connections.server";

/** Rows sent per drain step (HubSpot batch update takes 100). */
const DRAIN_BATCH = 100;
/** After this many failed sends a row is given up (kept with its error). */
const MAX_ATTEMPTS = 8;

/**
 * Reaction to friend.followed / unfollowed / consent-changed / linked: one outbox row per contact
 * the friend is matched to (any provider), then a drain per provider. `source` says where the
 * change came from ("line_follow", "line_unfollow", "consent", "linked"). Returns rows added.
 */
export async function queueFriendWriteBack(input: { shopId: number; friendId: number; source: string }): Promise<number> {
  const { shopId, friendId, source } = input;
  const friend = await db().friend.findFirst({
    where: { id: friendId, shopId },
    select: { lineUserId: true, following: true, marketingOptOut: true, updatedAt: true },
  });
  if (!friend) return 0;
  const contacts = await db().integrationContact.findMany({
    where: {
      shopId,
      friendId,
      provider: {
        in: (await db().integrationConnection.findMany({ where: { shopId }, select: { provider: true } })).map((c) => c.provider),
      },
    },
    select: { provider: true, externalId: true },
  });
  const providers = new Set<Provider>();
  let added = 0;
  for (const c of contacts) {
    const payload: WriteBackProperties = {
      externalId: c.externalId,
      lineUserId: friend.lineUserId,
      following: friend.following,
      marketingConsent: !friend.marketingOptOut,
      updatedAt: friend.updatedAt.toISOString(),
      source,
    };
    const row = await db().integrationWriteBack.createMany({
      data: [
        {
          shopId,
          provider: c.provider,
          friendId,
          kind: "properties",
          payload: payload as never,
          // The friend's state version: the same change queued twice is one row.
          idempotencyKey: `properties:${c.externalId}:${friend.updatedAt.getTime()}`,
        },
      ],
      skipDuplicates: true,
    });
    added += row.count;
    if (row.count) providers.add(c.provider as Provider);
  }
  for (const provider of providers) await requestWriteBack(shopId, provider);
  return added;
}

/** Enqueues the provider's drain; one job id per shop+provider while one is waiting. */
export async function requestWriteBack(shopId: number, provider: Provider, delayMs = 0): Promise<void> {
  await enqueue(
    "integrations.write-back",
    { shopId, provider },
    { delay: delayMs, jobId: `integrations.write-back:${shopId}:${provider}:${Date.now()}` },
  );
}

export type DrainOutcome = {
  sent: number;
  failed: number;
  deferredMs?: number;
  outcome: "drained" | "not_connected" | "unauthorized" | "rate_limited";
};

/**
 * The `integrations.write-back` job: sends the provider's pending rows, oldest first, in batches.
 * Properties: only the newest row per contact is sent (older rows of that contact are done with it).
 * 429 → a delayed drain after Retry-After; 401/403 → the connection is marked broken and rows wait
 * for a reconnect; 400-class → those rows fail; 5xx/network → thrown for Bull's retry.
 */
export async function drainWriteBack(shopId: number, provider: Provider): Promise<DrainOutcome> {
  const connector = await connectorFor(shopId, provider);
  if (!connector) return { sent: 0, failed: 0, outcome: "not_connected" };
  let sent = 0;
  let failed = 0;
  for (;;) {
    const rows = await db().integrationWriteBack.findMany({
      where: { shopId, provider, status: "pending" },
      orderBy: { id: "asc" },
      take: DRAIN_BATCH,
    });
    if (!rows.length) return { sent, failed, outcome: "drained" };
    const props = new Map<string, WriteBackProperties>();
    const events: WriteBackEvent[] = [];
    for (const r of rows) {
      if (r.kind === "event") events.push(r.payload as unknown as WriteBackEvent);
      else {
        const p = r.payload as unknown as WriteBackProperties;
        props.set(p.externalId, p); // ascending id: the newest wins
      }
    }
    const ids = rows.map((r) => r.id);
    try {
      if (props.size) await connector.writeProperties([...props.values()]);
      if (events.length) await connector.writeEvents(events);
    } catch (err) {
      if (!(err instanceof IntegrationError)) throw err;
      const message = err.message;
      if (err.kind === "rate_limited") {
        await requestWriteBack(shopId, provider, err.retryAfterMs ?? 1000);
        return { sent, failed, outcome: "rate_limited", deferredMs: err.retryAfterMs ?? 1000 };
      }
      if (err.kind === "unauthorized") {
        await markConnectionError(shopId, provider, message);
        await db().integrationWriteBack.updateMany({ where: { id: { in: ids } }, data: { lastError: message } });
        return { sent, failed, outcome: "unauthorized" };
      }
      await db().integrationWriteBack.updateMany({ where: { id: { in: ids } }, data: { attempts: { increment: 1 }, lastError: message } });
      if (err.kind === "invalid") {
        await db().integrationWriteBack.updateMany({ where: { id: { in: ids } }, data: { status: "failed" } });
        failed += ids.length;
        continue;
      }
      await db().integrationWriteBack.updateMany({
        where: { id: { in: ids }, attempts: { gte: MAX_ATTEMPTS } },
        data: { status: "failed" },
      });
      throw err;
    }
    await db().integrationWriteBack.updateMany({
      where: { id: { in: ids } },
      data: { status: "done", doneAt: new Date(), attempts: { increment: 1 } },
    });
    sent += ids.length;
  }
}

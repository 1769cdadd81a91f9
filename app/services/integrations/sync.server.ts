// The sync engine (docs/integrations.md "Sync"): mirrors a provider's contact properties, lists,
// contacts and list memberships into the Integration* tables, one page at a time.
//
// - A run is a row (IntegrationSyncRun): phase + provider cursor, saved in the same transaction as
//   the page's rows, so a run continues exactly where the last committed page ended. Pages are
//   upserts: re-reading one after a crash changes nothing, so nothing is lost or duplicated.
// - One job works on a run at a time: it holds a lease (heartbeatAt, renewed with every page). A
//   worker killed mid-run leaves its lease to expire; the sweep (or any later request) takes over.
// - 429: wait Retry-After and ask again with the same cursor (short waits in the job; long ones as a
//   delayed continuation job that gives the lease back). 5xx/network: the job fails and Bull retries
//   with backoff, from the saved cursor. 401/403: the connection is marked broken, the run fails.
// - full: every contact; contacts and lists not seen by the run are deleted at the end of their
//   phase. incremental: contacts modified since the last completed run (HubSpot: search by
//   lastmodifieddate); lists and memberships are re-read in full (membership changes).
// - After each committed page of contacts or members: integration.contacts-synced (matching).
import { enqueue } from "~/adapters/queue/queues.server";
import { logger } from "~/adapters/logger.server";
import { db } from "~/db.server";
import type { Prisma } from "@prisma/client";
import { IntegrationError, type ExternalContact, type IntegrationConnector, type Provider } from "~/domain/integrations/types";
import { emit } from "~/reactions.server";
import { connectorFor, markConnectionError, requestIntegrationSync } from "./connections.server";

/** A run whose heartbeat is older than this was abandoned by its worker (pages take seconds). */
export const SYNC_LEASE_MS = 2 * 60_000;
/** 429 waits up to this long happen inside the job; longer ones become a delayed continuation. */
const INLINE_WAIT_MAX_MS = 30_000;
/** Consecutive 429s on one call before the job hands the run to a delayed continuation. */
const INLINE_RETRIES_MAX = 10;
/** The schedule: an incremental sync per connection when the last one started this long ago. */
const SYNC_INTERVAL_MS = 15 * 60_000;

type Phase = "properties" | "lists" | "contacts" | "memberships" | "done";
export type SyncOutcome = "completed" | "deferred" | "busy" | "failed" | "not_connected";

interface RunRow {
  id: number;
  shopId: number;
  provider: string;
  kind: string;
  phase: string;
  cursor: string | null;
  listId: string | null;
  since: Date | null;
  highWater: Date | null;
  startedAt: Date;
  heartbeatAt: Date | null;
}

class LeaseLost extends Error {}
class Deferred extends Error {
  constructor(readonly delayMs: number) {
    super("deferred");
  }
}

/**
 * The `integrations.sync` job: continues the run `runId`, or the provider's running run, or starts
 * a new one (`kind`, full when the connection never completed a sync). Returns what happened.
 */
export async function runIntegrationSync(input: {
  shopId: number;
  provider: Provider;
  kind?: "full" | "incremental";
  runId?: number;
  /** Epoch ms of the request (requestIntegrationSync). */
  requestedAt?: number;
}): Promise<SyncOutcome> {
  const { shopId, provider } = input;
  const connection = await db().integrationConnection.findUnique({ where: { shopId_provider: { shopId, provider } } });
  if (!connection) return "not_connected";
  let run = input.runId
    ? await db().integrationSyncRun.findFirst({ where: { id: input.runId, shopId, provider, status: "running" } })
    : await db().integrationSyncRun.findFirst({ where: { shopId, provider, status: "running" }, orderBy: { id: "desc" } });
  if (!run && input.runId) return "busy";
  // A request already served by a run that started after it (e.g. a job Bull re-ran after its
  // worker died, while the sweep had resumed and finished the run) starts nothing new.
  if (
    !run &&
    input.requestedAt &&
    (await db().integrationSyncRun.count({ where: { shopId, provider, startedAt: { gte: new Date(input.requestedAt) } } }))
  )
    return "busy";
  if (!run) {
    const kind = input.kind === "incremental" && connection.syncedThrough ? "incremental" : "full";
    run = await db().integrationSyncRun.create({
      data: { shopId, provider, kind, since: kind === "incremental" ? connection.syncedThrough : null },
    });
  }
  const claimedAt = new Date();
  const claimed = await db().integrationSyncRun.updateMany({
    where: {
      id: run.id,
      status: "running",
      OR: [{ heartbeatAt: null }, { heartbeatAt: { lt: new Date(claimedAt.getTime() - SYNC_LEASE_MS) } }],
    },
    data: { heartbeatAt: claimedAt },
  });
  if (claimed.count === 0) return "busy";
  const connector = await connectorFor(shopId, provider);
  if (!connector) return "not_connected";
  const engine = new RunEngine({ ...run, heartbeatAt: claimedAt }, connector);
  const log = logger().child({ shopId, provider, runId: run.id });
  try {
    await engine.drive();
    log.info({ processed: engine.processed }, "integration sync completed");
    return "completed";
  } catch (err) {
    if (err instanceof LeaseLost) return "busy";
    if (err instanceof Deferred) {
      await engine.release();
      await enqueue(
        "integrations.sync",
        { shopId, provider, runId: run.id },
        { delay: err.delayMs, jobId: `integrations.sync:run:${run.id}:${Date.now()}` },
      );
      return "deferred";
    }
    if (err instanceof IntegrationError && (err.kind === "unauthorized" || err.kind === "invalid")) {
      await db().integrationSyncRun.update({
        where: { id: run.id },
        data: { status: "failed", error: err.message, finishedAt: new Date() },
      });
      if (err.kind === "unauthorized") await markConnectionError(shopId, provider, err.message);
      log.warn({ kind: err.kind }, "integration sync failed");
      return "failed";
    }
    // Transient: give the lease back and let Bull retry; the next attempt starts at the saved cursor.
    await engine.release();
    throw err;
  }
}

class RunEngine {
  processed = 0;
  constructor(
    private run: RunRow,
    private connector: IntegrationConnector,
  ) {}

  private get where() {
    return { shopId: this.run.shopId, provider: this.run.provider };
  }

  /** Gives the lease back (a continuation may claim the run at once). */
  async release() {
    await db().integrationSyncRun.updateMany({
      where: { id: this.run.id, heartbeatAt: this.run.heartbeatAt },
      data: { heartbeatAt: null },
    });
  }

  /**
   * Commits one page: the page's writes and the run's new position in one transaction, guarded by
   * the lease (a run taken over by another job throws LeaseLost and this job's page is rolled back).
   */
  private async commit(writes: (tx: Prisma.TransactionClient) => Promise<unknown>, next: Partial<RunRow> & { processedDelta?: number }) {
    const heartbeatAt = new Date();
    const { processedDelta = 0, ...position } = next;
    await db().$transaction(async (tx) => {
      await writes(tx);
      const moved = await tx.integrationSyncRun.updateMany({
        where: { id: this.run.id, heartbeatAt: this.run.heartbeatAt, status: "running" },
        data: { ...position, heartbeatAt, processed: { increment: processedDelta } },
      });
      if (moved.count === 0) throw new LeaseLost();
    });
    this.run = { ...this.run, ...position, heartbeatAt };
    this.processed += processedDelta;
  }

  /** Calls the provider; on 429 waits Retry-After and asks again with the same arguments. */
  private async ask<T>(fn: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await fn();
      } catch (err) {
        if (!(err instanceof IntegrationError) || err.kind !== "rate_limited") throw err;
        const wait = err.retryAfterMs ?? 1000;
        await db().integrationSyncRun.update({ where: { id: this.run.id }, data: { rateLimited: { increment: 1 } } });
        if (wait > INLINE_WAIT_MAX_MS || attempt >= INLINE_RETRIES_MAX) throw new Deferred(wait);
        await new Promise((r) => setTimeout(r, wait));
      }
    }
  }

  async drive() {
    for (;;) {
      const phase = this.run.phase as Phase;
      if (phase === "properties") await this.properties();
      else if (phase === "lists") await this.lists();
      else if (phase === "contacts") await this.contacts();
      else if (phase === "memberships") await this.memberships();
      else return this.finish();
    }
  }

  private async properties() {
    const props = await this.ask(() => this.connector.listProperties());
    const syncedAt = this.run.startedAt;
    await this.commit(
      async (tx) => {
        for (const p of props) {
          const data = { label: p.label, type: p.type, options: p.options ?? undefined, syncedAt };
          await tx.integrationProperty.upsert({
            where: { shopId_provider_name: { ...this.where, name: p.name } },
            create: { ...this.where, name: p.name, ...data },
            update: data,
          });
        }
        await tx.integrationProperty.deleteMany({ where: { ...this.where, syncedAt: { lt: syncedAt } } });
      },
      { phase: "lists", cursor: null },
    );
  }

  private async lists() {
    const at = this.run.cursor;
    const page = await this.ask(() => this.connector.listLists(at));
    const syncedAt = this.run.startedAt;
    let leftMembers: string[] = [];
    await this.commit(
      async (tx) => {
        for (const l of page.items) {
          const data = { name: l.name, kind: l.kind, memberCount: l.memberCount ?? null, syncedAt };
          await tx.integrationList.upsert({
            where: { shopId_provider_externalId: { ...this.where, externalId: l.externalId } },
            create: { ...this.where, externalId: l.externalId, ...data },
            update: data,
          });
        }
        if (page.next) return;
        // Lists gone from the provider take their memberships with them.
        const gone = await tx.integrationList.findMany({
          where: { ...this.where, syncedAt: { lt: syncedAt } },
          select: { externalId: true },
        });
        const ids = gone.map((g) => g.externalId);
        // Their members' friends re-evaluate (a segment may name the list): the members are announced.
        const members = await tx.integrationListMember.findMany({
          where: { ...this.where, listExternalId: { in: ids } },
          select: { contactExternalId: true },
        });
        leftMembers = [...new Set(members.map((m) => m.contactExternalId))];
        await tx.integrationListMember.deleteMany({ where: { ...this.where, listExternalId: { in: ids } } });
        await tx.integrationList.deleteMany({ where: { ...this.where, externalId: { in: ids } } });
      },
      page.next ? { cursor: page.next } : { phase: "contacts", cursor: null },
    );
    await this.synced(leftMembers, `lists:${at ?? "start"}`);
  }

  private async contacts() {
    const at = this.run.cursor;
    const page = await this.ask(() => this.connector.pageContacts(at, this.run.since));
    const syncedAt = this.run.startedAt;
    let highWater = this.run.highWater;
    for (const c of page.items) if (c.updatedAt && (!highWater || c.updatedAt > highWater)) highWater = c.updatedAt;
    let removed: string[] = [];
    let removedFriends: number[] = [];
    await this.commit(
      async (tx) => {
        await upsertContacts(tx, this.where, page.items, syncedAt);
        // A full run saw every contact: the ones it did not see were deleted in the provider.
        if (page.next || this.run.kind !== "full") return;
        const gone = await tx.integrationContact.findMany({
          where: { ...this.where, syncedAt: { lt: syncedAt } },
          select: { externalId: true, friendId: true },
        });
        removed = gone.map((g) => g.externalId);
        // Deleted rows cannot be read back by the match job: their friends travel in the event.
        removedFriends = gone.flatMap((g) => (g.friendId === null ? [] : [g.friendId]));
        await tx.integrationListMember.deleteMany({ where: { ...this.where, contactExternalId: { in: removed } } });
        await tx.integrationContact.deleteMany({ where: { ...this.where, externalId: { in: removed } } });
      },
      page.next
        ? { cursor: page.next, highWater, processedDelta: page.items.length }
        : { phase: "memberships", cursor: null, listId: null, highWater, processedDelta: page.items.length },
    );
    await this.synced([...page.items.map((c) => c.externalId), ...removed], `contacts:${at ?? "start"}`, removedFriends);
  }

  /** Pages every list's members; at a list's end, members not seen by this run left the list. */
  private async memberships() {
    const listId =
      this.run.listId ??
      (await db().integrationList.findFirst({ where: this.where, orderBy: { externalId: "asc" }, select: { externalId: true } }))
        ?.externalId;
    if (!listId) return this.commit(async () => {}, { phase: "done", cursor: null, listId: null });
    const at = this.run.cursor;
    const page = await this.ask(() => this.connector.pageListMembers(listId, at));
    const syncedAt = this.run.startedAt;
    let left: string[] = [];
    let nextList: string | null = null;
    if (!page.next) {
      const lists = await db().integrationList.findMany({
        where: this.where,
        select: { externalId: true },
        orderBy: { externalId: "asc" },
      });
      nextList = lists.map((l) => l.externalId).find((id) => id > listId) ?? null;
    }
    await this.commit(
      async (tx) => {
        await tx.integrationListMember.createMany({
          data: page.items.map((contactExternalId) => ({ ...this.where, listExternalId: listId, contactExternalId, syncedAt })),
          skipDuplicates: true,
        });
        await tx.integrationListMember.updateMany({
          where: { ...this.where, listExternalId: listId, contactExternalId: { in: page.items }, syncedAt: { lt: syncedAt } },
          data: { syncedAt },
        });
        if (page.next) return;
        const gone = await tx.integrationListMember.findMany({
          where: { ...this.where, listExternalId: listId, syncedAt: { lt: syncedAt } },
          select: { contactExternalId: true },
        });
        left = gone.map((g) => g.contactExternalId);
        await tx.integrationListMember.deleteMany({ where: { ...this.where, listExternalId: listId, contactExternalId: { in: left } } });
      },
      page.next
        ? { cursor: page.next, listId }
        : nextList
          ? { cursor: null, listId: nextList }
          : { phase: "done", cursor: null, listId: null },
    );
    await this.synced([...page.items, ...left], `members:${listId}:${at ?? "start"}`);
  }

  private async synced(externalIds: string[], pageKey: string, friendIds: number[] = []) {
    if (!externalIds.length && !friendIds.length) return;
    const { shopId, provider } = this.run;
    await emit(
      "integration.contacts-synced",
      { shopId, provider: provider as Provider, externalIds, ...(friendIds.length ? { friendIds: [...new Set(friendIds)] } : {}) },
      `${this.run.id}:${pageKey}`,
    );
  }

  private async finish() {
    const finishedAt = new Date();
    await db().$transaction(async (tx) => {
      const done = await tx.integrationSyncRun.updateMany({
        where: { id: this.run.id, heartbeatAt: this.run.heartbeatAt, status: "running" },
        data: { status: "completed", finishedAt, heartbeatAt: null },
      });
      if (done.count === 0) throw new LeaseLost();
      // Incremental runs start from the newest modification seen (GTE: that contact is read again).
      if (this.run.highWater)
        await tx.integrationConnection.updateMany({
          where: { ...this.where, OR: [{ syncedThrough: null }, { syncedThrough: { lt: this.run.highWater } }] },
          data: { syncedThrough: this.run.highWater },
        });
    });
  }
}

/**
 * The schedule (`integrations.sweep-syncs`, every few minutes): resumes runs whose worker died (lease
 * expired) and requests an incremental sync for connections whose last run started SYNC_INTERVAL_MS
 * ago. `now` is passed in so tests can step past the lease.
 */
export async function sweepIntegrationSyncs(now: Date = new Date()): Promise<{ resumed: number; requested: number }> {
  const stale = await db().integrationSyncRun.findMany({
    where: { status: "running", OR: [{ heartbeatAt: null }, { heartbeatAt: { lt: new Date(now.getTime() - SYNC_LEASE_MS) } }] },
    select: { id: true, shopId: true, provider: true, heartbeatAt: true },
  });
  let resumed = 0;
  for (const r of stale) {
    // Release the dead worker's lease (unless it was renewed meanwhile); the job then claims the run.
    const released = await db().integrationSyncRun.updateMany({
      where: { id: r.id, status: "running", heartbeatAt: r.heartbeatAt },
      data: { heartbeatAt: null },
    });
    if (!released.count) continue;
    resumed++;
    await enqueue(
      "integrations.sync",
      { shopId: r.shopId, provider: r.provider as Provider, runId: r.id },
      { jobId: `integrations.sync:run:${r.id}:${now.getTime()}` },
    );
  }
  let requested = 0;
  for (const c of await db().integrationConnection.findMany({ where: { status: "connected" }, select: { shopId: true, provider: true } })) {
    const last = await db().integrationSyncRun.findFirst({ where: { shopId: c.shopId, provider: c.provider }, orderBy: { id: "desc" } });
    if (last && (last.status === "running" || now.getTime() - last.startedAt.getTime() < SYNC_INTERVAL_MS)) continue;
    await requestIntegrationSync(c.shopId, c.provider as Provider, "incremental");
    requested++;
  }
  return { resumed, requested };
}

/** Registers the repeatable sweep (worker start-up). */
export async function scheduleIntegrationSyncs(): Promise<void> {
  await enqueue("integrations.sweep-syncs", {}, { repeat: { every: 5 * 60_000 }, jobId: "integrations.sweep-syncs" });
}

/** A timestamp column's literal: Prisma keeps DateTime as UTC in `timestamp(3)` (no zone to convert). */
const utcLiteral = (d: Date) => d.toISOString().replace("Z", "");

/**
 * One page of contacts in one statement (a page is up to 100; an upsert each was 100 round trips).
 * The last occurrence of an externalId in the page wins, as the row-by-row upserts did.
 */
async function upsertContacts(
  tx: Prisma.TransactionClient,
  where: { shopId: number; provider: string },
  contacts: ExternalContact[],
  syncedAt: Date,
): Promise<void> {
  const rows = [...new Map(contacts.map((c) => [c.externalId, c])).values()].map((c) => ({
    externalId: c.externalId,
    email: c.email,
    phone: c.phone,
    lineUserId: c.lineUserId,
    properties: c.properties,
    externalUpdatedAt: c.updatedAt ? utcLiteral(c.updatedAt) : null,
  }));
  if (!rows.length) return;
  await tx.$executeRaw`
    INSERT INTO "IntegrationContact" ("shopId", provider, "externalId", email, phone, "lineUserId", properties, "externalUpdatedAt", "syncedAt")
    SELECT ${where.shopId}, ${where.provider}, x."externalId", x.email, x.phone, x."lineUserId", x.properties,
           x."externalUpdatedAt"::timestamp, ${utcLiteral(syncedAt)}::timestamp
      FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb)
        AS x("externalId" text, email text, phone text, "lineUserId" text, properties jsonb, "externalUpdatedAt" text)
    ON CONFLICT ("shopId", provider, "externalId") DO UPDATE SET
      email = EXCLUDED.email, phone = EXCLUDED.phone, "lineUserId" = EXCLUDED."lineUserId",
      properties = EXCLUDED.properties, "externalUpdatedAt" = EXCLUDED."externalUpdatedAt", "syncedAt" = EXCLUDED."syncedAt"`;
}

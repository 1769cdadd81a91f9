// Backfill at install and on demand: one bulk operation per kind (customers → orders → abandoned
// checkouts; Shopify runs one bulk query per shop at a time), each streamed into the same ingestion
// services as webhooks. BackfillRun.linesDone is saved at object boundaries, so a resumed poll skips
// what was applied (re-applying a few lines after a crash is harmless: upserts are idempotent).
// Jobs: ingestion.start-backfill {runId} → bulkOperationRunQuery; ingestion.poll-backfill {runId} → check, then stream.
import { db } from "~/db.server";
import { env } from "~/config/env.server";
import { enqueue } from "~/adapters/queue/queues.server";
import { childLogger } from "~/adapters/logger.server";
import {
  BACKFILL_KINDS,
  checkoutFromNode,
  currentBulkOperation,
  customerFromNode,
  groupJsonl,
  orderFromNode,
  readJsonl,
  runBulkQuery,
} from "~/adapters/shopify/bulk-operations.server";
import type { BackfillKind, Gql, JsonlObject } from "~/adapters/shopify/bulk-operations.server";
import { ingestCheckout, ingestCustomer, ingestOrder } from "~/services/ingestion/ingest.server";
import { adminGraphql } from "~/shopify.server";

export const backfillSettings = { pollDelayMs: 5_000, saveEvery: 100 };

/** Tests and the sandbox may answer GraphQL themselves; production uses the shop's offline session. */
const backfillGraphql: { client: (shopDomain: string) => Promise<Gql> } = { client: adminGraphql };

const ACTIVE = ["pending", "running"];

/** Starts a full backfill (first kind) unless one is already under way for the shop. */
export async function startBackfill(shopDomain: string) {
  const shop = await db().shop.findUnique({ where: { domain: shopDomain } });
  if (!shop) throw new Error(`Unknown shop ${shopDomain}`);
  const active = await db().backfillRun.findFirst({ where: { shopId: shop.id, status: { in: ACTIVE } } });
  if (active) return { status: "already-running" as const, run: active };
  const run = await db().backfillRun.create({ data: { shopId: shop.id, kind: BACKFILL_KINDS[0] } });
  await enqueue("ingestion.start-backfill", { runId: run.id }, { jobId: `backfill-start-${run.id}` });
  return { status: "started" as const, run };
}

async function loadRun(runId: number) {
  const run = await db().backfillRun.findUnique({ where: { id: runId } });
  if (!run) throw new Error(`backfill run ${runId} not found`);
  const shop = await db().shop.findUniqueOrThrow({ where: { id: run.shopId } });
  return { run, shop };
}

async function fail(runId: number, error: string) {
  await db().backfillRun.update({ where: { id: runId }, data: { status: "failed", error: error.slice(0, 1000), finishedAt: new Date() } });
}

function schedulePoll(runId: number, delay: number) {
  return enqueue("ingestion.poll-backfill", { runId }, { jobId: `backfill-poll-${runId}-${Date.now()}`, delay });
}

export async function runBackfillStart(runId: number) {
  const { run, shop } = await loadRun(runId);
  if (run.status !== "pending") return { status: run.status };
  if (shop.uninstalledAt) {
    await fail(runId, "shop uninstalled");
    return { status: "failed" };
  }
  const gql = await backfillGraphql.client(shop.domain);
  // userErrors (e.g. another bulk query already running) throw: the job retries with backoff.
  // Email / phone only with protected customer data level 2 (docs/decisions/007).
  const op = await runBulkQuery(gql, run.kind as BackfillKind, { contact: env().SHOPIFY_PROTECTED_CUSTOMER_DATA_LEVEL >= 2 });
  await db().backfillRun.update({ where: { id: runId }, data: { status: "running", bulkOperationId: op.id } });
  await schedulePoll(runId, backfillSettings.pollDelayMs);
  return { status: "running" };
}

export async function runBackfillPoll(runId: number) {
  const { run, shop } = await loadRun(runId);
  if (run.status !== "running") return { status: run.status };
  const log = childLogger({ shop: shop.domain, job: "ingestion.poll-backfill", runId });
  const gql = await backfillGraphql.client(shop.domain);
  const op = await currentBulkOperation(gql);
  if (!op || op.id !== run.bulkOperationId) {
    await fail(runId, "bulk operation is no longer the current one (cancelled or replaced)");
    return { status: "failed" };
  }
  if (op.status === "CREATED" || op.status === "RUNNING") {
    if (op.objectCount != null) await db().backfillRun.update({ where: { id: runId }, data: { objectCount: op.objectCount } });
    await schedulePoll(runId, backfillSettings.pollDelayMs);
    return { status: "running" };
  }
  if (op.status !== "COMPLETED") {
    await fail(runId, `bulk operation ${op.status}${op.errorCode ? ` (${op.errorCode})` : ""}`);
    return { status: "failed" };
  }
  // Lines, not objects: the progress bar compares linesDone to the total once known.
  await db().backfillRun.update({ where: { id: runId }, data: { resultUrl: op.url, objectCount: op.objectCount } });
  const linesDone = op.url ? await ingestResult(run.id, shop, run.kind as BackfillKind, op.url, run.linesDone) : 0;
  await db().backfillRun.update({
    where: { id: runId },
    data: { status: "completed", linesDone, objectCount: linesDone, finishedAt: new Date() },
  });
  log.info({ kind: run.kind, linesDone }, "backfill kind completed");
  const next = BACKFILL_KINDS[BACKFILL_KINDS.indexOf(run.kind as BackfillKind) + 1];
  if (next) {
    const nextRun = await db().backfillRun.create({ data: { shopId: shop.id, kind: next } });
    await enqueue("ingestion.start-backfill", { runId: nextRun.id }, { jobId: `backfill-start-${nextRun.id}` });
  }
  return { status: "completed", linesDone };
}

async function applyObject(shop: { id: number; domain: string; timezone: string }, kind: BackfillKind, o: JsonlObject) {
  const lineItems = o.children.filter((c) => String(c.id ?? "").includes("LineItem"));
  if (kind === "customers") await ingestCustomer(shop, customerFromNode(o.node), "backfill");
  else if (kind === "orders") await ingestOrder(shop, orderFromNode(o.node, lineItems), "backfill");
  else await ingestCheckout(shop, checkoutFromNode(o.node, lineItems), "backfill");
}

async function ingestResult(
  runId: number,
  shop: { id: number; domain: string; timezone: string },
  kind: BackfillKind,
  url: string,
  skip: number,
) {
  let done = skip;
  let sinceSave = 0;
  for await (const obj of groupJsonl(readJsonl(url, skip))) {
    await applyObject(shop, kind, obj);
    done = obj.endLine;
    if (++sinceSave >= backfillSettings.saveEvery) {
      sinceSave = 0;
      await db().backfillRun.update({ where: { id: runId }, data: { linesDone: done } });
    }
  }
  return done;
}

/** bulk_operations/finish: poll at once instead of waiting for the next scheduled poll. */
export async function bulkOperationFinished(shopId: number, bulkOperationId: string) {
  const run = await db().backfillRun.findFirst({ where: { shopId, bulkOperationId, status: "running" } });
  if (!run) return "no running backfill for this operation";
  await schedulePoll(run.id, 0);
  return `poll run ${run.id}`;
}

export async function listBackfillRuns(shopId: number, take = 12) {
  return db().backfillRun.findMany({ where: { shopId }, orderBy: { id: "desc" }, take });
}

// Webhook ingest against its floor (issue 14). Signed orders/create + checkouts/update webhooks
// (sandbox-generator payloads) from this process over loopback to the web process (WEB_CONCURRENCY
// processes), with the worker running and turning them into facts at the same time.
//   1. saturation: `--concurrency` senders back to back for `--saturate` s against the web process, then
//      against the floor (scripts/bench/_floor.ts: a minimal Node server doing the same HMAC check and
//      one INSERT on the same PostgreSQL) → accepted/s of each and the ratio web ÷ floor;
//   2. open loop at each `--rates` for `--seconds` (p50/p99 from the scheduled send time);
//   3. lost = 200s − rows recorded; lag from delivery to facts (processedAt − receivedAt).
// `--worker off` (a diagnostic, not the target's setup): no worker, so what the worker's CPU costs the
// web process shows as the difference; deliveries stay recorded and unprocessed (lag not measured).
// `npm run bench -- webhook-ingest [--rates 200,500] [--seconds 10] [--web 1] [--concurrency 32] [--worker on|off]`
import crypto from "node:crypto";
import { Agent, setGlobalDispatcher } from "undici";
import {
  isolatedStack,
  ensureBuild,
  startProcess,
  stopProcess,
  waitForHttp,
  summarize,
  sampleRss,
  flag,
  machine,
  openLoop,
  closedLoop,
  ratio,
  QUICK,
  presignedWebhooks,
  postPresignedWebhook,
} from "./_harness";

setGlobalDispatcher(new Agent({ connections: 256, pipelining: 1 }));

const rates = flag("rates", "200,500", "100").split(",").map(Number);
const seconds = Number(flag("seconds", "10", "3"));
const saturate = Number(flag("saturate", "10", "3"));
const concurrency = Number(flag("concurrency", "32", "16"));
const webProcesses = flag("web", "1", "1");
const workerOn = flag("worker", "on") !== "off";
const shopDomain = "bench-shop.myshopify.com";
const SECRET = "bench-secret";

async function main() {
  const services = await isolatedStack("webhook-ingest");
  ensureBuild();
  const { db, disconnectDb } = await import("../../app/db.server");
  await db().$executeRawUnsafe(`CREATE TABLE "FloorWebhookDelivery" (LIKE "WebhookDelivery" INCLUDING ALL)`);
  const port = 3300 + Math.floor(Math.random() * 500);
  const appUrl = `http://127.0.0.1:${port}`;
  const floorUrl = `http://127.0.0.1:${port + 1000}`;
  const env = { PORT: String(port), SHOPIFY_APP_URL: appUrl, SHOPIFY_API_SECRET: SECRET, WEB_CONCURRENCY: webProcesses };
  const web = startProcess("scripts/web.ts", env);
  const worker = workerOn ? startProcess("app/jobs/worker.ts", env) : undefined;
  const floor = startProcess("scripts/bench/_floor.ts", { FLOOR_MODE: "webhook", PORT: String(port + 1000), SHOPIFY_API_SECRET: SECRET });
  await waitForHttp(`${appUrl}/healthz`);
  const webRss = sampleRss(web.pid!);
  const workerRss = worker ? sampleRss(worker.pid!) : undefined;

  // Realistic payloads, signed once (the signature covers the body only; ids change per request).
  const pool = await presignedWebhooks(shopDomain, 3000, SECRET);
  let accepted = 0;
  const send = (base: string, count: boolean) => async (i: number) => {
    const e = pool[i % pool.length]!;
    const status = await postPresignedWebhook(base, shopDomain, e, crypto.randomUUID());
    if (count && status === 200) accepted++;
    return status;
  };

  await closedLoop(4, 1, send(appUrl, true)); // warm up both
  await closedLoop(4, 1, send(floorUrl, false));
  const webSat = await closedLoop(concurrency, saturate, send(appUrl, true));
  const floorSat = await closedLoop(concurrency, saturate, send(floorUrl, false));
  const open: Record<string, unknown> = {};
  for (const rate of rates) open[`${rate}/s`] = await openLoop(rate, seconds, send(appUrl, true));

  const { waitForIdleQueues } = await import("../../app/services/jobs-wait.server");
  // Under --quick the wait is bounded: CI checks correctness (nothing lost), not how fast facts follow.
  const idle = workerOn ? await waitForIdleQueues({ timeoutMs: QUICK ? 90_000 : 600_000 }) : { idle: false };
  const recorded = await db().webhookDelivery.count({ where: { shopDomain } });
  const lags = await db().$queryRaw<Array<{ ms: number }>>`
    select extract(epoch from ("processedAt" - "receivedAt")) * 1000 as ms
    from "WebhookDelivery" where "shopDomain" = ${shopDomain} and "processedAt" is not null`;
  const byStatus = await db().webhookDelivery.groupBy({ by: ["status"], where: { shopDomain }, _count: true });
  const out = {
    benchmark: "webhook-ingest",
    machine: machine(),
    setup: `web processes: ${webProcesses} (WEB_CONCURRENCY), ${workerOn ? `worker running (nice ${process.env.WORKER_NICE ?? 10})` : "NO worker (--worker off)"}, PostgreSQL + Redis + load generator on the same machine`,
    saturation: { concurrency, seconds: saturate, web: webSat, floor: floorSat },
    ratioToFloor: ratio(webSat.achievedRps, floorSat.achievedRps),
    openLoop: open,
    acceptedWith200: accepted,
    recordedDeliveries: recorded,
    lost: accepted - recorded,
    workerIdle: idle.idle,
    deliveryStatus: Object.fromEntries(byStatus.map((r) => [r.status, r._count])),
    lagToFactsMs: summarize(lags.map((l) => Number(l.ms))),
    peakRssMb: { web: webRss.stop(), worker: workerRss?.stop() ?? null },
  };
  console.log(JSON.stringify(out, null, 2));
  const { closeQueues } = await import("../../app/adapters/queue/queues.server");
  await closeQueues();
  await disconnectDb();
  await Promise.all([stopProcess(web), ...(worker ? [stopProcess(worker)] : []), stopProcess(floor)]);
  await services.stop();
  if (out.lost !== 0) throw new Error(`${out.lost} deliveries answered 200 but not recorded`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

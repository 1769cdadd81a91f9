// Webhook ingest: signed orders/create + checkouts/update webhooks from this (second) process over
// loopback to the web process, open-loop at fixed rates. Reports sustained requests/s, p50/p99
// response time per rate, lost deliveries (sent 200 vs rows recorded), and the lag from delivery
// to facts updated (WebhookDelivery.processedAt − receivedAt) with the worker running.
// `npm run bench -- webhook-ingest [--rates 200,500] [--seconds 20]`
import crypto from "node:crypto";
import { Agent, setGlobalDispatcher } from "undici";
import { isolatedStack, ensureBuild, startProcess, stopProcess, waitForHttp, summarize, sampleRss, flag } from "./_harness";
import { generateStore, type WebhookEvent } from "../sandbox/generator";
import { postShopifyWebhook } from "../sandbox/deliver";

setGlobalDispatcher(new Agent({ connections: 256, pipelining: 1 }));

const rates = flag("rates", "200,500").split(",").map(Number);
const seconds = Number(flag("seconds", "20"));
const shopDomain = "bench-shop.myshopify.com";

async function main() {
  const services = await isolatedStack("webhook-ingest");
  ensureBuild();
  const port = 3300 + Math.floor(Math.random() * 500);
  const appUrl = `http://127.0.0.1:${port}`;
  const env = { PORT: String(port), SHOPIFY_APP_URL: appUrl, SHOPIFY_API_SECRET: "bench-secret" };
  const web = startProcess("scripts/web.ts", env);
  const worker = startProcess("app/jobs/worker.ts", env);
  await waitForHttp(`${appUrl}/healthz`);
  const webRss = sampleRss(web.pid!);
  const workerRss = sampleRss(worker.pid!);

  // Realistic payloads: orders and checkout updates from the sandbox generator.
  const pool: WebhookEvent[] = [];
  for (const e of generateStore({ customers: 3000, seed: 7, shopDomain })) {
    if (e.kind === "webhook" && (e.topic === "orders/create" || e.topic === "checkouts/update")) pool.push(e);
  }
  const target = { appUrl, shopDomain, apiSecret: "bench-secret" };
  const results: Record<string, unknown> = {};
  let sentOk = 0;
  for (const rate of rates) {
    const latencies: number[] = [];
    const statuses: Record<string, number> = {};
    const total = rate * seconds;
    const started = performance.now();
    const inflight: Promise<void>[] = [];
    for (let i = 0; i < total; i++) {
      const due = started + (i * 1000) / rate;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      const e = pool[(i + rate) % pool.length];
      const t0 = performance.now();
      inflight.push(
        postShopifyWebhook(target, e, crypto.randomUUID())
          .catch(() => 0)
          .then((status) => {
            latencies.push(performance.now() - t0);
            statuses[status] = (statuses[status] ?? 0) + 1;
            if (status === 200) sentOk++;
          }),
      );
    }
    await Promise.all(inflight);
    const elapsed = (performance.now() - started) / 1000;
    results[`${rate}/s`] = { sent: total, achievedRps: Math.round(total / elapsed), statuses, latencyMs: summarize(latencies) };
  }

  const { waitForIdleQueues } = await import("../../app/services/jobs-wait.server");
  await waitForIdleQueues({ timeoutMs: 600_000 });
  const { db } = await import("../../app/db.server");
  const recorded = await db().webhookDelivery.count({ where: { shopDomain } });
  const lags = await db().$queryRaw<Array<{ ms: number }>>`
    select extract(epoch from ("processedAt" - "receivedAt")) * 1000 as ms
    from "WebhookDelivery" where "shopDomain" = ${shopDomain} and "processedAt" is not null`;
  const byStatus = await db().webhookDelivery.groupBy({ by: ["status"], where: { shopDomain }, _count: true });
  const out = {
    benchmark: "webhook-ingest",
    machine: "2 cores, loopback, web + worker as separate processes, load from a third process",
    rates: results,
    acceptedWith200: sentOk,
    recordedDeliveries: recorded,
    lost: sentOk - recorded,
    deliveryStatus: Object.fromEntries(byStatus.map((r) => [r.status, r._count])),
    lagToFactsMs: summarize(lags.map((l) => Number(l.ms))),
    peakRssMb: { web: webRss.stop(), worker: workerRss.stop() },
  };
  console.log(JSON.stringify(out, null, 2));
  const { closeQueues } = await import("../../app/adapters/queue/queues.server");
  const { disconnectDb } = await import("../../app/db.server");
  await closeQueues();
  await disconnectDb();
  await stopProcess(web);
  await stopProcess(worker);
  await services.stop();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

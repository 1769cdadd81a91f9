// What the worker spends per abandoned checkout and per due reminder (docs/benchmarks.md "Worker
// cost"): the CPU that decides how many checkouts/s a flash sale can be ingested at and how many
// due reminders/s go out on time.
//
// `npm run bench -- worker-cost [--checkouts 300]`. One isolated stack, the built web process, the LINE
// emulator and the worker in this process (the same `dispatch` as `npm run worker`, so every Prisma
// operation can be counted by the job that made it). The shop is set up like the abandoned-cart
// benchmark's (linked friends, a cart menu rule, reminders on).
//   1. Ingest: `--checkouts` signed checkouts/create webhooks are recorded by the web process with the
//      queues paused, then drained (process the delivery → facts, segments, menu syncs, the cart check
//      that schedules the reminder, delay 1 h so nothing is sent).
//   2. Send: the delay is set to 1 s and every reminder is due now; the shop's batch send job
//      (automations.send-due-cart-reminders) is enqueued and everything drained (the reminder pushes
//      and the menu syncs that follow them).
//   3. Orders of a best-seller: `--buyers` earlier buyers of one product are seeded (CustomerProduct
//      rows, half with a re-buy interval, as a shop with that many customers has), then every friend
//      orders it (orders/create, recorded with the queues paused, then drained). What an order costs
//      must not grow with the product's buyers (the shop-wide re-buy median, docs/benchmarks.md).
// Per phase: items/s, Prisma operations per item (total and by job + model.operation), this process's
// CPU ms per item (worker + emulator) and the machine's (all processes: + PostgreSQL, Redis, web).
// Reference: at 200 items/s a 2-core machine has 2 × 1,000 / 200 = 10 ms of CPU per item in all;
// `ratioToTarget` = that budget ÷ the measured machine CPU per item.
import fs from "node:fs";
import os from "node:os";
import { AsyncLocalStorage } from "node:async_hooks";
import { ensureBuild, flag, isolatedStack, machine, ratio, startProcess, stopProcess, waitForHttp } from "./_harness";
import { cartShopOnEmulator, postAbandonedCheckout, postOrder } from "./_carts";

const N = Number(flag("checkouts", "300", "100"));
const BUYERS = Number(flag("buyers", "200000", "20000"));
const BEST_SELLER = 100;
const TARGET_RATE = 200; // abandoned checkouts per second (issue 14)
/** Machine CPU per item that TARGET_RATE items/s leave on this machine's cores (10 ms on 2). */
const BUDGET_MS = (os.cpus().length * 1000) / TARGET_RATE;
const shopDomain = "bench-worker-cost.myshopify.com";

/** CPU time of the whole machine (all processes), in ms, from /proc/stat (USER_HZ = 100). */
function machineCpuMs(): number {
  const f = fs.readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
  const idle = f[3]! + f[4]!; // idle + iowait
  return (f.reduce((a, b) => a + b, 0) - idle) * 10;
}

async function main() {
  const services = await isolatedStack("worker-cost");
  ensureBuild();
  const { db, disconnectDb, setDefaultPoolSize } = await import("../../app/db.server");
  const { env: appEnv } = await import("../../app/config/env.server");
  setDefaultPoolSize(appEnv().WORKER_CONCURRENCY); // as `npm run worker` (app/jobs/worker.ts)
  const { emu, ch, shop, users } = await cartShopOnEmulator(shopDomain, N, "PT1H");
  // What autovacuum does after the setup's bulk load: planner statistics for the shop's customers and
  // friends (without them PostgreSQL guesses one row per shop and picks scans a live database would not).
  await db().$executeRawUnsafe(`ANALYZE "Customer", "Friend", "Checkout", "Order"`);
  const base = db();
  // Count every Prisma operation by the job running it (AsyncLocalStorage follows the job's awaits).
  const currentJob = new AsyncLocalStorage<string>();
  const ops = new Map<string, number>();
  globalThis.__prisma = base.$extends({
    query: {
      async $allOperations({ model, operation, args, query }) {
        const key = `${currentJob.getStore() ?? "(outside a job)"} ${model ?? ""}.${operation}`;
        ops.set(key, (ops.get(key) ?? 0) + 1);
        return query(args);
      },
    },
  }) as never;

  const { saveAbandonedCartSettings } = await import("../../app/db/settings/abandoned-cart.server");
  const { waitForIdleQueues } = await import("../../app/services/jobs-wait.server");
  const { QUEUE_NAMES, queue, closeQueues, enqueue } = await import("../../app/adapters/queue/queues.server");
  const { dispatch } = await import("../../app/jobs/registry.server");
  const { startDeliveryDispatcher } = await import("../../app/services/webhook-dispatch.server");

  const port = 3300 + Math.floor(Math.random() * 500);
  const appUrl = `http://127.0.0.1:${port}`;
  const env = { PORT: String(port), SHOPIFY_APP_URL: appUrl, SHOPIFY_API_SECRET: "bench-secret" };
  const web = startProcess("scripts/web.ts", env);
  await waitForHttp(`${appUrl}/healthz`);

  // The worker, in this process: every queue, the configured concurrency, the same dispatch.
  const perJob = new Map<string, number>(); // jobs run, by name
  for (const name of QUEUE_NAMES)
    void queue(name).process("*", appEnv().WORKER_CONCURRENCY, async (job) => {
      perJob.set(job.name, (perJob.get(job.name) ?? 0) + 1);
      return currentJob.run(job.name, () => dispatch(job));
    });
  const dispatcher = await startDeliveryDispatcher();
  await waitForIdleQueues({ timeoutMs: 60_000 }); // the setup's own jobs

  async function phase(name: string, start: () => Promise<void>, items: () => Promise<number>) {
    ops.clear();
    perJob.clear();
    const m0 = machineCpuMs();
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await start();
    const idle = await waitForIdleQueues({ timeoutMs: 600_000, pollMs: 200 });
    const seconds = (performance.now() - t0) / 1000;
    const c = process.cpuUsage(c0);
    const machineMs = machineCpuMs() - m0;
    const n = await items();
    const totalOps = [...ops.values()].reduce((a, b) => a + b, 0);
    const per = (x: number) => Math.round((x / Math.max(n, 1)) * 10) / 10;
    return {
      phase: name,
      items: n,
      drained: idle.idle,
      seconds: Math.round(seconds * 10) / 10,
      itemsPerSecond: Math.round(n / seconds),
      machineCpuMsPerItem: per(machineMs),
      thisProcessCpuMsPerItem: per((c.user + c.system) / 1000),
      prismaOperationsPerItem: per(totalOps),
      ratioToTarget: ratio(BUDGET_MS, per(machineMs)),
      jobsPerItem: Object.fromEntries([...perJob].map(([k, v]) => [k, per(v)])),
      prismaOperationsByJob: Object.fromEntries(
        [...ops]
          .sort((a, b) => b[1] - a[1])
          .filter(([, v]) => v >= n / 10)
          .map(([k, v]) => [k, per(v)]),
      ),
    };
  }

  /**
   * One webhook per friend (`post(i)` → HTTP status) recorded while the queues are paused in Redis
   * (nothing runs), then the phase: resume and drain. Returns the statuses and the phase's result.
   */
  async function recordThenDrain(name: string, post: (i: number) => Promise<number>, items: () => Promise<number>) {
    for (const q of QUEUE_NAMES) await queue(q).pause();
    const statuses: Record<string, number> = {};
    await Promise.all(
      users.map(async (_, i) => {
        const s = await post(i);
        statuses[s] = (statuses[s] ?? 0) + 1;
      }),
    );
    const result = await phase(
      name,
      async () => {
        for (const q of QUEUE_NAMES) await queue(q).resume();
      },
      items,
    );
    return { statuses, result };
  }
  const app = { appUrl, shopDomain, apiSecret: "bench-secret" };

  // 1. Ingest: every friend's abandoned checkout.
  const { statuses, result: ingest } = await recordThenDrain(
    "ingest checkouts/create → reminder scheduled",
    (i) => postAbandonedCheckout(app, i, new Date()),
    () => base.reminder.count({ where: { shopId: shop.id, status: "scheduled" } }),
  );

  // 2. Send: every reminder due now.
  await saveAbandonedCartSettings(shop.id, { enabled: true, config: { delay: "PT1S", switchMenu: true } });
  await base.reminder.updateMany({ where: { shopId: shop.id }, data: { dueAt: new Date(Date.now() - 1000) } });
  const send = await phase(
    "send due reminder → LINE push + menu sync",
    // What the window's job does when it fires: the shop's due reminders in batches.
    async () => void (await enqueue("automations.send-due-cart-reminders", { shopId: shop.id })),
    () => base.reminder.count({ where: { shopId: shop.id, status: "sent" } }),
  );
  // 3. Orders of a best-seller with BUYERS earlier buyers.
  await base.$executeRawUnsafe(
    `INSERT INTO "CustomerProduct" ("shopId", "shopifyCustomerId", "productId", "firstPurchasedAt", "lastPurchasedAt", "orderCount", quantity, "rebuyIntervalDays")
     SELECT $1, 9000000 + g, $2, now() - interval '200 days', now() - (g % 180) * interval '1 day', 1 + g % 2, 1 + g % 2, CASE WHEN g % 2 = 1 THEN 20 + g % 60 END
     FROM generate_series(1, $3) g`,
    shop.id,
    BEST_SELLER,
    BUYERS,
  );
  // What autovacuum does after a bulk load: statistics, and the visibility map index-only scans need.
  await base.$executeRawUnsafe(`VACUUM (ANALYZE) "CustomerProduct"`);
  const { statuses: orderStatuses, result: orders } = await recordThenDrain(
    `ingest orders/create of a product with ${BUYERS} earlier buyers`,
    (i) => postOrder(app, i, BEST_SELLER, new Date()),
    () => base.order.count({ where: { shopId: shop.id } }),
  );
  const rebuy = await base.productRebuy.findUnique({ where: { shopId_productId: { shopId: shop.id, productId: BigInt(BEST_SELLER) } } });

  const pushes = (await (await fetch(`${emu.url}/__emulator/channels/${ch.channelId}/messages?limit=100000`)).json()).messages as Array<{
    userId: string;
  }>;
  const duplicates = pushes.length - new Set(pushes.map((m) => m.userId)).size;

  const out = {
    benchmark: "worker-cost",
    machine: machine(),
    setup: "web process; worker (same dispatch as npm run worker), LINE emulator and load generator in this process",
    checkouts: N,
    buyersOfTheOrderedProduct: BUYERS,
    webhookStatuses: statuses,
    orderWebhookStatuses: orderStatuses,
    productRebuy: rebuy && { medianIntervalDays: rebuy.medianIntervalDays, sampleSize: rebuy.sampleSize },
    budgetAtTargetRate: `${BUDGET_MS} ms of machine CPU per item at ${TARGET_RATE}/s on ${os.cpus().length} cores`,
    phases: [ingest, send, orders],
    pushes: { received: pushes.length, duplicates },
  };
  console.log(JSON.stringify(out, null, 2));
  await dispatcher.stop();
  await closeQueues();
  await disconnectDb();
  await stopProcess(web);
  await emu.close();
  await services.stop();
  const errors = [
    statuses["200"] !== N && `${N - (statuses["200"] ?? 0)} webhooks not accepted`,
    ingest.items !== N && `${N - ingest.items} reminders not scheduled`,
    send.items !== N && `${N - send.items} reminders not sent`,
    duplicates && `${duplicates} duplicate pushes`,
    orderStatuses["200"] !== N && `${N - (orderStatuses["200"] ?? 0)} order webhooks not accepted`,
    orders.items !== N && `${N - orders.items} orders not ingested`,
    !rebuy && "no shop-wide re-buy median for the ordered product",
  ].filter(Boolean);
  if (errors.length) throw new Error(errors.join("; "));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

// The worker process: Bull consumers for every queue, periodic sweeps, graceful shutdown.
// On SIGTERM/SIGINT it stops taking jobs, lets active ones finish (Bull's queue.close waits), then
// disconnects. `npm run worker`.
import os from "node:os";
import v8 from "node:v8";
import { bootstrap } from "~/adapters/infra/bootstrap.server";
import { env } from "~/config/env.server";
import { QUEUE_NAMES, queue, closeQueues, removeRenamedRepeatables } from "~/adapters/queue/queues.server";
import { dispatch } from "~/jobs/registry.server";
import { scheduleMenuReconcile } from "~/services/rich-menus/reconcile.server";
import { scheduleLifecycleScans } from "~/services/automations/lifecycle.server";
import { scheduleBroadcastSweeps } from "~/services/broadcasts/delivery.server";
import { scheduleIntegrationSyncs } from "~/services/integrations/sync.server";
import { scheduleLineEvents } from "~/services/integrations/line-events.server";
import { disconnectDb, setDatabaseBackendNice } from "~/db.server";
import { startDeliveryDispatcher } from "~/services/webhook-dispatch.server";
import { logger } from "~/adapters/logger.server";

export async function startWorker(opts: { concurrency?: number; sweeps?: boolean } = {}) {
  const concurrency = opts.concurrency ?? env().WORKER_CONCURRENCY;
  for (const name of QUEUE_NAMES) {
    void queue(name).process("*", concurrency, dispatch);
    queue(name).on("failed", (job, err) =>
      logger().warn({ queue: name, job: job.name, jobId: job.id, attempts: job.attemptsMade, err: err.message }, "job failed"),
    );
  }
  // Recorded Shopify webhook deliveries → processing jobs (the web process only INSERTs).
  const dispatcher = await startDeliveryDispatcher();
  await removeRenamedRepeatables();
  if (opts.sweeps !== false) {
    await queue("scheduled").add("webhooks.sweep-unprocessed", {}, { repeat: { every: 60_000 }, jobId: "webhooks.sweep-unprocessed" });
    await scheduleMenuReconcile();
    await scheduleLifecycleScans();
    await scheduleBroadcastSweeps();
    await scheduleIntegrationSyncs();
    await scheduleLineEvents();
  }
  return {
    async stop() {
      await dispatcher.stop();
      await closeQueues();
      await disconnectDb();
    },
  };
}

async function main() {
  const services = await bootstrap({ log: (m) => logger().info(m) });
  // Background work yields the CPU to the web process (webhook acks within Shopify's 5 s, LINE's 2 s).
  // … and so does its database work: the PostgreSQL backends serving it, when they run on this machine.
  if (env().WORKER_NICE) {
    os.setPriority(Math.max(os.getPriority(), env().WORKER_NICE));
    setDatabaseBackendNice(env().WORKER_NICE);
  }
  const worker = await startWorker();
  // The V8 heap ceiling `npm run worker` sets (WORKER_MAX_OLD_SPACE_MB): without one, V8 lets garbage
  // pile up to gigabytes before it collects (docs/benchmarks.md "Worker memory").
  const heapLimitMb = Math.round(v8.getHeapStatistics().heap_size_limit / 1048576);
  logger().info({ queues: QUEUE_NAMES, heapLimitMb }, "worker started");
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger().info({ signal }, "worker stopping: finishing active jobs");
    await worker.stop();
    await services.stop();
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((err) => {
    logger().fatal({ err }, "worker failed to start");
    process.exit(1);
  });
}

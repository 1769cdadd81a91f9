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
import { disconnectDb, setDatabaseBackendNice, setDefaultPoolSize } from "~/db.server";
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
  await retryWhileRedisRestarts(removeRenamedRepeatables);
  const schedules: Array<() => Promise<unknown>> = [
    () => queue("scheduled").add("webhooks.sweep-unprocessed", {}, { repeat: { every: 60_000 }, jobId: "webhooks.sweep-unprocessed" }),
    scheduleMenuReconcile,
    scheduleLifecycleScans,
    scheduleBroadcastSweeps,
    scheduleIntegrationSyncs,
    scheduleLineEvents,
  ];
  if (opts.sweeps !== false) for (const schedule of schedules) await retryWhileRedisRestarts(schedule);
  // Recorded Shopify webhook deliveries → processing jobs (the web process only INSERTs). Last: its
  // catch-up enqueues every delivery recorded while no worker ran (a backlog can take a while), and
  // tolerates Redis errors itself (the sweep enqueues what it could not).
  const dispatcher = await startDeliveryDispatcher();
  return {
    async stop() {
      await dispatcher.stop();
      await closeQueues();
      await disconnectDb();
    },
  };
}

/**
 * A start-up step that talks to Redis, retried while Redis restarts or loads its dataset (`LOADING`):
 * a worker restarted beside a Redis restart must come up, not exit. Backoff 200 ms doubling to 2 s;
 * throws the last error after `attempts` tries (≈ 45 s).
 */
async function retryWhileRedisRestarts<T>(step: () => Promise<T>, attempts = 25): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await step();
    } catch (err) {
      if (attempt >= attempts) throw err;
      logger().warn({ err, attempt }, "worker start-up step failed (Redis?); retrying");
      await new Promise((r) => setTimeout(r, Math.min(2000, 100 * 2 ** attempt)));
    }
  }
}

async function main() {
  const services = await bootstrap({ log: (m) => logger().info(m) });
  // A connection per concurrent job (DATABASE_POOL_SIZE overrides): see setDefaultPoolSize.
  setDefaultPoolSize(env().WORKER_CONCURRENCY);
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

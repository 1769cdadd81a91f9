// Waits until every queue is idle: nothing waiting, active or paused, and no delayed job (a retry
// with backoff, a poll, a reminder) due within `includeDelayedWithinMs` (default 30 s). Repeatable
// sweeps never count; work scheduled further ahead (a reminder in an hour) does not either. Webhook
// deliveries recorded by the web process reach a queue through the worker's dispatcher, usually within
// milliseconds of their commit (a NOTIFY), longer on a loaded machine: idle means quiet for QUIET_MS
// (and two polls), whatever the poll interval.
import { QUEUE_NAMES, queue, queueDepths } from "~/adapters/queue/queues.server";
import { dispatcherInFlight } from "~/services/webhook-dispatch.server";

const DEFAULT_DELAYED_HORIZON_MS = 30_000;
/** How long every queue must stay quiet to count as idle (covers the NOTIFY → enqueue gap under load). */
const QUIET_MS = 250;

async function delayedDueWithin(ms: number): Promise<number> {
  if (ms <= 0) return 0;
  const horizon = Date.now() + ms;
  let due = 0;
  for (const name of QUEUE_NAMES) {
    const delayed = await queue(name).getDelayed();
    due += delayed.filter((j) => j.timestamp + (j.opts.delay ?? 0) <= horizon && !j.opts.repeat).length;
  }
  return due;
}

export async function waitForIdleQueues(opts: { timeoutMs: number; includeDelayedWithinMs?: number; pollMs?: number }) {
  const started = Date.now();
  let quietPolls = 0;
  let quietSince = 0;
  for (;;) {
    const depths = await queueDepths();
    // Webhook notifications this process's dispatcher is still turning into jobs count as busy.
    const busy = Object.values(depths).reduce((n, d) => n + d.waiting + d.active + d.paused, 0) + dispatcherInFlight();
    const delayedSoon = await delayedDueWithin(opts.includeDelayedWithinMs ?? DEFAULT_DELAYED_HORIZON_MS);
    // Two quiet polls in a row: a job that enqueues a follow-up is not mistaken for idleness.
    quietPolls = busy + delayedSoon === 0 ? quietPolls + 1 : 0;
    if (quietPolls === 1) quietSince = Date.now();
    const waitedMs = Date.now() - started;
    if (quietPolls >= 2 && Date.now() - quietSince >= QUIET_MS) return { idle: true, waitedMs, queues: depths };
    if (waitedMs >= opts.timeoutMs) return { idle: false, waitedMs, queues: depths };
    await new Promise((r) => setTimeout(r, opts.pollMs ?? 100));
  }
}

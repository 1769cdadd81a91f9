// The worker's side of the Shopify webhook ack: LISTEN on the channel the recording statement
// notifies (services/webhook-deliveries.server.ts) and enqueue each delivery's processing job. The
// web process therefore answers Shopify after one INSERT, with no Redis round trip.
//
// Notifications are not durable: one sent while no dispatcher listens (worker down, connection lost)
// is gone. So on every (re)connection the dispatcher first LISTENs, then enqueues every delivery still
// waiting; `webhooks.sweep-unprocessed` re-enqueues what is still unprocessed after a minute. Several workers
// may each run a dispatcher: the job id `wh-<id>` keeps a delivery to one pending job.
import pg from "pg";
import { env } from "~/config/env.server";
import { childLogger } from "~/adapters/logger.server";
import { DELIVERY_CHANNEL, enqueueDelivery, enqueuePendingDeliveries } from "~/services/webhook-deliveries.server";

const RECONNECT_MS = [200, 1_000, 5_000];

export interface DeliveryDispatcher {
  /** Notifications received and not yet enqueued (waitForIdleQueues counts them as busy). */
  inFlight(): number;
  stop(): Promise<void>;
}

let current: DeliveryDispatcher | null = null;

/** Notifications the running dispatcher of this process has not enqueued yet (0 without one). */
export function dispatcherInFlight(): number {
  return current?.inFlight() ?? 0;
}

/**
 * Starts listening; resolves once LISTEN is active and the deliveries recorded before it are
 * enqueued. Errors after that (PostgreSQL restart, Redis down) are logged and retried: a
 * notification that cannot be enqueued is left to the sweep.
 */
export async function startDeliveryDispatcher(): Promise<DeliveryDispatcher> {
  const log = childLogger({ component: "webhook-dispatch" });
  let client: pg.Client | null = null;
  let stopped = false;
  let pending = 0;
  let attempt = 0;
  let retryTimer: NodeJS.Timeout | undefined;

  const onNotification = (msg: pg.Notification) => {
    const id = Number(msg.payload);
    if (!Number.isSafeInteger(id)) return;
    pending++;
    enqueueDelivery(id)
      .catch((err) => log.warn({ err, deliveryId: id }, "could not enqueue a webhook delivery; the sweep will"))
      .finally(() => pending--);
  };

  const connect = async (): Promise<void> => {
    const c = new pg.Client({ connectionString: env().DATABASE_URL ?? process.env.DATABASE_URL });
    c.on("notification", onNotification);
    const lost = (err?: Error) => {
      if (stopped || client !== c) return;
      log.warn({ err }, "webhook dispatcher lost its PostgreSQL connection; reconnecting");
      client = null;
      void c.end().catch(() => {});
      scheduleReconnect();
    };
    // A server restart ends the connection with an error or, on a clean shutdown, with only "end".
    c.on("error", lost);
    c.on("end", () => lost());
    try {
      await c.connect();
      await c.query(`LISTEN ${DELIVERY_CHANNEL}`);
    } catch (err) {
      void c.end().catch(() => {});
      throw err;
    }
    client = c;
    attempt = 0;
    // Listening already: a catch-up that cannot enqueue (Redis restarting) must not undo that or stop
    // a starting worker. What it could not enqueue waits for the sweep, like a notification would.
    try {
      const caughtUp = await enqueuePendingDeliveries();
      if (caughtUp) log.info({ count: caughtUp }, "enqueued webhook deliveries recorded while no dispatcher listened");
    } catch (err) {
      log.warn({ err }, "could not enqueue the deliveries recorded while no dispatcher listened; the sweep will");
    }
  };

  const scheduleReconnect = () => {
    if (stopped || retryTimer) return;
    const delay = RECONNECT_MS[Math.min(attempt++, RECONNECT_MS.length - 1)];
    retryTimer = setTimeout(() => {
      retryTimer = undefined;
      connect().catch((err) => {
        log.warn({ err }, "webhook dispatcher could not reconnect");
        scheduleReconnect();
      });
    }, delay);
  };

  await connect();
  const dispatcher: DeliveryDispatcher = {
    inFlight: () => pending,
    async stop() {
      stopped = true;
      clearTimeout(retryTimer);
      const c = client;
      client = null;
      if (current === dispatcher) current = null;
      while (pending > 0) await new Promise((r) => setTimeout(r, 10));
      await c?.end().catch(() => {});
    },
  };
  current = dispatcher;
  return dispatcher;
}

// In-process hook fired after a customer's facts were recomputed and committed. Other features
// (segments, rich menus, reminders) subscribe at module load and enqueue their own durable jobs; a
// subscriber error is logged and does not fail the delivery (the facts are already committed, and a
// redelivery would call the subscriber again anyway). Nothing else is enqueued here yet.
import { childLogger } from "~/adapters/logger.server";

export interface CustomerFactsChanged {
  shopId: number;
  shopDomain: string;
  shopifyCustomerId: bigint;
  /** Why the facts were recomputed: the topic, "backfill", "customers/delete", "customers/redact". */
  cause: string;
  /** false when the customer's rows were erased (customers/delete, customers/redact). */
  exists: boolean;
}

export type FactsChangedListener = (e: CustomerFactsChanged) => void | Promise<void>;

const listeners = new Set<FactsChangedListener>();

/** Subscribe to facts changes; returns an unsubscribe function. */
export function subscribeFactsChanged(fn: FactsChangedListener): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

export async function onCustomerFactsChanged(e: CustomerFactsChanged): Promise<void> {
  for (const fn of listeners) {
    try {
      await fn(e);
    } catch (err) {
      childLogger({ shop: e.shopDomain }).error({ err, customer: String(e.shopifyCustomerId) }, "facts-changed subscriber failed");
    }
  }
}

// A due reminder must not wait behind a flash sale's backlog: the time-critical jobs (PRIORITY_JOBS in
// queues.server.ts) are taken before the unprioritised rest of their queue, on real Redis through Bull.
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { closeQueues, enqueue, queue } from "~/adapters/queue/queues.server";

afterAll(() => closeQueues());
beforeEach(async () => {
  for (const name of ["inbound", "line-outbound"] as const) await queue(name).obliterate({ force: true });
});

/** The names of the next `n` jobs a worker would take, in order (moved to active). */
async function nextJobs(name: "inbound" | "line-outbound", n: number): Promise<string[]> {
  const names: string[] = [];
  for (let i = 0; i < n; i++) {
    const job = await queue(name).getNextJob();
    if (!job) break;
    names.push(job.name);
  }
  return names;
}

describe("queue priority", () => {
  it("a due cart or lifecycle reminder is taken before a backlog of menu syncs queued earlier", async () => {
    for (let f = 1; f <= 50; f++) await enqueue("rich-menus.sync-friend", { shopId: 1, friendId: f });
    await enqueue("automations.send-cart-reminder", { reminderId: 7 }, { jobId: "reminder:7" });
    await enqueue("automations.send-lifecycle-reminder", { reminderId: 8 });
    const order = await nextJobs("line-outbound", 3);
    expect(order.slice(0, 2).sort()).toEqual(["automations.send-cart-reminder", "automations.send-lifecycle-reminder"]);
    expect(order[2]).toBe("rich-menus.sync-friend");
  });

  it("the check that schedules reminders is taken before webhook deliveries queued earlier; the rest stay FIFO", async () => {
    for (let d = 1; d <= 20; d++) await enqueue("webhooks.process-delivery", { deliveryId: d }, { jobId: `d${d}` });
    await enqueue("automations.check-friends-carts", { shopId: 1, pending: true });
    const [first, ...rest] = await nextJobs("inbound", 4);
    expect(first).toBe("automations.check-friends-carts");
    expect(rest).toEqual(["webhooks.process-delivery", "webhooks.process-delivery", "webhooks.process-delivery"]);
    const taken = await queue("inbound").getActive();
    expect(
      taken
        .filter((j) => j.name === "webhooks.process-delivery")
        .map((j) => j.id)
        .sort(),
    ).toEqual(["d1", "d2", "d3"]);
  });

  it("a delayed reminder, once due, goes ahead of the backlog a worker is working through", async () => {
    await enqueue("automations.send-cart-reminder", { reminderId: 9 }, { delay: 300 });
    for (let f = 1; f <= 40; f++) await enqueue("rich-menus.sync-friend", { shopId: 1, friendId: f });
    const seen: string[] = [];
    // One job at a time, 50 ms each: the backlog takes 2 s, the reminder is due after 0.3 s.
    void queue("line-outbound").process("*", 1, async (job) => {
      seen.push(job.name);
      await new Promise((r) => setTimeout(r, 50));
    });
    await expect.poll(() => seen.length, { timeout: 30_000 }).toBe(41);
    expect(seen.indexOf("automations.send-cart-reminder")).toBeLessThan(15);
  });
});

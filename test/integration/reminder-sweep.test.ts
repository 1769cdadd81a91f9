// A reminder whose delayed Bull job was lost (e.g. Redis flushed) is picked up by the sweep and
// processed; the send re-checks everything, so an unlinked friend is skipped with a reason. One a
// batch send holds (claimedUntil ahead) is left to that batch.
import crypto from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { db } from "~/db.server";
import { startWorker } from "~/jobs/worker";
import { installDevShop } from "~/services/shops.server";
import { sweepOverdueReminders } from "~/services/automations/abandoned-cart.server";
import { waitForIdleQueues } from "~/services/jobs-wait.server";
import { uniqueShop } from "../support/shopify";

let worker: Awaited<ReturnType<typeof startWorker>>;
beforeAll(async () => {
  worker = await startWorker({ concurrency: 2, sweeps: false });
});
afterAll(async () => {
  await worker.stop();
});

it("re-enqueues overdue scheduled reminders and leaves fresh ones alone", async () => {
  const { shop } = await installDevShop({ domain: uniqueShop() });
  const friend = await db().friend.create({ data: { shopId: shop.id, lineUserId: `U${crypto.randomBytes(16).toString("hex")}` } });
  const now = new Date();
  const reminder = (subjectKey: string, dueAt: Date) =>
    db().reminder.create({
      data: { shopId: shop.id, friendId: friend.id, kind: "abandoned_cart", subjectKey, dueAt, retryKey: crypto.randomUUID() },
    });
  const overdue = await reminder("tok-old", new Date(now.getTime() - 10 * 60_000));
  const fresh = await reminder("tok-new", new Date(now.getTime() - 30_000));
  // Overdue but held by a batch send still running (its claim not expired): not the sweep's.
  const held = await reminder("tok-held", new Date(now.getTime() - 10 * 60_000));
  await db().reminder.update({ where: { id: held.id }, data: { claimedUntil: new Date(now.getTime() + 30_000) } });

  expect(await sweepOverdueReminders(now)).toBeGreaterThanOrEqual(1);
  await waitForIdleQueues({ timeoutMs: 60_000 });
  const after = await db().reminder.findUniqueOrThrow({ where: { id: overdue.id } });
  expect(after.status).not.toBe("scheduled");
  expect(after.reason).toBeTruthy();
  expect((await db().reminder.findUniqueOrThrow({ where: { id: fresh.id } })).status).toBe("scheduled");
  expect((await db().reminder.findUniqueOrThrow({ where: { id: held.id } })).status).toBe("scheduled");
  expect(await db().messageSend.count({ where: { shopId: shop.id } })).toBe(0);
});

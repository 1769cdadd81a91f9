// Bulk apply after a rule or menu change: walk the shop's friends by id (keyset, 5,000 per page),
// choose each friend's menu, group the moves by target menu and call LINE's bulk link (500 users
// per call) or bulk unlink (back to the default). Progress and the cursor are stored after each
// page, so a retried job continues where the last attempt stopped. The floor is LINE's bulk-link
// rate: 500 users × 2,000 requests/s.
import { db } from "~/db.server";
import { enqueue } from "~/adapters/queue/queues.server";
import { chunks } from "~/adapters/line/rich-menus.server";
import { mapLimit } from "~/domain/concurrency";
import { loadRuleSet } from "~/db/rich-menus.server";
import { loadMemberships, MENU_FRIEND_SELECT, type MenuFriend } from "./memberships.server";
import { chooseFor } from "./sync.server";
import { MenuError, requireMenuApi, shopById } from "./channel.server";

const APPLY_PAGE_SIZE = 5000;
const APPLY_CONCURRENCY = 4;

export async function startApplyRun(shopId: number) {
  const running = await db().menuApplyRun.findFirst({ where: { shopId, status: { in: ["pending", "running"] } }, orderBy: { id: "desc" } });
  if (running) return running;
  const total = await db().friend.count({ where: { shopId, following: true } });
  const run = await db().menuApplyRun.create({ data: { shopId, total } });
  await enqueue(
    "rich-menus.apply-rules",
    { shopId, runId: run.id },
    { jobId: `rich-menus.apply-rules:${run.id}`, attempts: 20, backoff: { type: "exponential", delay: 500 } },
  );
  return run;
}

export function applyRunStatus(shopId: number, runId?: number) {
  return db().menuApplyRun.findFirst({ where: { shopId, ...(runId ? { id: runId } : {}) }, orderBy: { id: "desc" } });
}

export async function runApply(shopId: number, runId: number, opts: { pageSize?: number; now?: () => Date } = {}) {
  const pageSize = opts.pageSize ?? APPLY_PAGE_SIZE;
  const clock = opts.now ?? (() => new Date());
  const run = await db().menuApplyRun.findFirst({ where: { shopId, id: runId } });
  if (!run) throw new MenuError(`Apply run ${runId} not found`, "not-found");
  if (run.status === "completed") return run;
  const shop = await shopById(shopId);
  const api = requireMenuApi(shop);
  const rs = await loadRuleSet(shopId);
  await db().menuApplyRun.update({ where: { id: run.id }, data: { status: "running", error: null } });
  let { cursor, done, moved, bulkCalls } = run;
  try {
    for (;;) {
      const now = clock();
      const page: MenuFriend[] = await db().friend.findMany({
        where: { shopId, following: true, id: { gt: cursor } },
        select: MENU_FRIEND_SELECT,
        orderBy: { id: "asc" },
        take: pageSize,
      });
      if (!page.length) break;
      const m = await loadMemberships(shop, rs.rules, page, now);
      const groups = new Map<string, { menuId: number | null; ruleId: number | null; friends: MenuFriend[] }>();
      for (const f of page) {
        const r = chooseFor(f, rs, m.byFriend.get(f.id)!, now);
        if (!r.changed) continue;
        const key = `${r.menuId}:${r.ruleId}`;
        const g = groups.get(key) ?? { menuId: r.menuId, ruleId: r.ruleId, friends: [] };
        g.friends.push(f);
        groups.set(key, g);
      }
      const calls = [...groups.values()].flatMap((g) => chunks(g.friends).map((part) => ({ g, part })));
      // A few bulk calls in flight at once: each is a round trip to LINE plus a row update, and the
      // per-endpoint limiter (2,000 req/s) is far above what one page needs.
      const settled = await mapLimit(calls, APPLY_CONCURRENCY, async ({ g, part }) => {
        const ids = part.map((f) => f.lineUserId);
        if (g.menuId === null) await api.unlinkMany(ids);
        else await api.linkMany(ids, rs.published.get(g.menuId)!);
        // Stored per call, so a failure mid-page does not repeat calls that LINE already accepted.
        await db().friend.updateMany({
          where: { id: { in: part.map((f) => f.id) } },
          data: { richMenuId: g.menuId, richMenuRuleId: g.ruleId, richMenuAssignedAt: now },
        });
        return part.length;
      });
      for (const r of settled) {
        if (r.status !== "fulfilled") continue;
        bulkCalls++;
        moved += r.value;
      }
      const failed = settled.find((r) => r.status === "rejected");
      if (failed) throw (failed as PromiseRejectedResult).reason;
      cursor = page[page.length - 1].id;
      done += page.length;
      await db().menuApplyRun.update({ where: { id: run.id }, data: { cursor, done, moved, bulkCalls } });
    }
  } catch (err) {
    await db().menuApplyRun.update({
      where: { id: run.id },
      data: { moved, bulkCalls, error: err instanceof Error ? err.message.slice(0, 500) : String(err) },
    });
    throw err;
  }
  return db().menuApplyRun.update({
    where: { id: run.id },
    data: { status: "completed", done: Math.max(done, run.total), finishedAt: clock() },
  });
}

/** Marks a run failed once its job has used up its attempts (called by the processor). */
export function failApplyRun(runId: number, error: string) {
  return db().menuApplyRun.update({ where: { id: runId }, data: { status: "failed", error: error.slice(0, 500), finishedAt: new Date() } });
}

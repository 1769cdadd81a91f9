// Friends waiting for a batched reaction: during a flash sale every order of a linked customer asks
// for the same two jobs (segments.reevaluate-friends, rich-menus.sync-friends) for one friend each.
// Those jobs are set-based: one run for a thousand friends costs about what one friend costs. So the
// reaction map marks them `batched` (app/reactions.server.ts): emitting adds the friends to a per-shop
// pending set in Redis and enqueues one job per shop and window (`{ shopId, pending: true }`), which
// runs at the window's end on every friend pending by then (up to BATCH_MAX, then another job).
// Under a backlog the jobs run late and the batches grow, so the cost per friend falls when it matters.
//
// Redis keys (QUEUE_PREFIX, like Bull's):
//   <prefix>:friend-batch:<job>:<shopId>       sorted set: friend id → sequence of the add that put it there
//   <prefix>:friend-batch-seq:<job>:<shopId>   that sequence (INCR)
//   <prefix>:friend-batch-index                set of "<job>:<shopId>" with friends pending (the sweep's list)
// A run takes friends with their sequence and, once done, removes only those whose sequence is
// unchanged: a friend added again while the run worked (a newer fact change) stays for the next run.
// A run that crashes or fails removes nothing, so its friends are run again (Bull's retry, the next
// window's job, or the minute sweep for a shop that got no new friend since): at least once, and the
// batched jobs are idempotent. Durability is Redis's, the same as every other job's.
import { env } from "~/config/env.server";
import { BATCHED_JOBS, enqueue, queue, type BatchedJob, type FriendsOrPending } from "./queues.server";

/** How long friends gather before their job runs (ms): the latency a batched reaction adds. */
export const BATCH_WINDOW_MS = 1000;
/** The most friends one run takes (the batched jobs' `friendIds` limit). */
export const BATCH_MAX = 1000;

const ADD = `
local seq = redis.call('INCR', KEYS[2])
for i = 2, #ARGV do redis.call('ZADD', KEYS[1], seq, ARGV[i]) end
redis.call('SADD', KEYS[3], ARGV[1])
return seq`;
const SETTLE = `
for i = 2, #ARGV, 2 do
  if redis.call('ZSCORE', KEYS[1], ARGV[i]) == ARGV[i + 1] then redis.call('ZREM', KEYS[1], ARGV[i]) end
end
local left = redis.call('ZCARD', KEYS[1])
if left == 0 then redis.call('SREM', KEYS[2], ARGV[1]) end
return left`;

const redis = () => queue("inbound").client;
const prefix = () => env().QUEUE_PREFIX;
const setKey = (job: BatchedJob, shopId: number) => `${prefix()}:friend-batch:${job}:${shopId}`;
const seqKey = (job: BatchedJob, shopId: number) => `${prefix()}:friend-batch-seq:${job}:${shopId}`;
const indexKey = () => `${prefix()}:friend-batch-index`;

/**
 * Adds friends to the shop's pending set of `job` and makes sure a job runs after the current
 * window: job id `<job>:pending:<shopId>:<window>`, so every add of one window shares one job (Bull
 * ignores an id it holds). That job starts after the window ends, hence after this add. Throws when
 * Redis is unreachable (the emitting job fails and is retried, like any enqueue).
 */
export async function addPendingFriends(job: BatchedJob, shopId: number, friendIds: readonly number[], now = Date.now()): Promise<void> {
  if (!friendIds.length) return;
  // A CRM sync page can name thousands of friends: scripts of BATCH_MAX, so Redis is never held long.
  for (let i = 0; i < friendIds.length; i += BATCH_MAX)
    await redis().eval(
      ADD,
      3,
      setKey(job, shopId),
      seqKey(job, shopId),
      indexKey(),
      `${job}:${shopId}`,
      ...friendIds.slice(i, i + BATCH_MAX).map(String),
    );
  const window = Math.floor(now / BATCH_WINDOW_MS);
  // A burst adds many friends per second: the window's job is added once per process, not per add.
  const key = setKey(job, shopId);
  if (windowJobAdded.get(key) === window) return;
  await enqueue(
    job,
    { shopId, pending: true },
    { jobId: `${job}:pending:${shopId}:${window}`, delay: Math.max(0, (window + 1) * BATCH_WINDOW_MS - now) },
  );
  windowJobAdded.set(key, window);
}

/** A pending set's key → the last window whose job this process added (one entry per shop and job). */
const windowJobAdded = new Map<string, number>();

/**
 * Runs `run` on the shop's pending friends of `job` (oldest first, at most BATCH_MAX), then removes
 * those not added again meanwhile. A full batch may have left friends behind: another job runs them
 * right away. A friend added during the run has the job of its own window (later than this one's).
 * Answers the friends run. `run` throwing removes nothing (the job's retry runs them).
 */
export async function runPendingFriends<T>(
  job: BatchedJob,
  shopId: number,
  run: (friendIds: number[]) => Promise<T>,
): Promise<{ friends: number; result?: T }> {
  // [friend, sequence, friend, sequence, …]: SETTLE takes the same pairs back.
  const taken = await redis().zrange(setKey(job, shopId), 0, BATCH_MAX - 1, "WITHSCORES");
  const friendIds = taken.filter((_, i) => i % 2 === 0).map(Number);
  const result = friendIds.length ? await run(friendIds) : undefined;
  const left = Number(await redis().eval(SETTLE, 2, setKey(job, shopId), indexKey(), `${job}:${shopId}`, ...taken));
  if (left > 0 && friendIds.length === BATCH_MAX)
    await enqueue(job, { shopId, pending: true }, { jobId: `${job}:pending:${shopId}:more:${Date.now()}:${friendIds[0]}` });
  return { friends: friendIds.length, result };
}

/**
 * The minute sweep's part: a job for every shop with friends pending, in case their job was lost
 * (it failed for good, or Redis was restored without it). Answers how many shops/jobs it asked for.
 */
export async function enqueueStrandedBatches(now = Date.now()): Promise<number> {
  const members = await redis().smembers(indexKey());
  let n = 0;
  for (const m of members) {
    const i = m.lastIndexOf(":");
    const job = m.slice(0, i) as BatchedJob;
    const shopId = Number(m.slice(i + 1));
    if (!(BATCHED_JOBS as readonly string[]).includes(job) || !Number.isSafeInteger(shopId)) continue;
    await enqueue(job, { shopId, pending: true }, { jobId: `${job}:pending:${shopId}:sweep:${Math.floor(now / 60_000)}` });
    n++;
  }
  return n;
}

/** The friends pending for `job` in the shop (tests). */
export async function pendingFriends(job: BatchedJob, shopId: number): Promise<number[]> {
  return (await redis().zrange(setKey(job, shopId), 0, -1)).map(Number);
}

/** A batched job's processor: its own `friendIds`, or the shop's pending friends (runPendingFriends). */
export async function forFriendsOrPending<T>(
  job: BatchedJob,
  data: FriendsOrPending,
  run: (friendIds: number[]) => Promise<T>,
): Promise<T | { friends: number; result?: T }> {
  return "pending" in data ? runPendingFriends(job, data.shopId, run) : run(data.friendIds);
}

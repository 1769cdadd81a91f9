// GET /healthz: database, Redis, queue depth and LINE API reachability.
import { db } from "~/db.server";
import { env } from "~/config/env.server";
import { queue, queueDepths, QUEUE_NAMES } from "~/adapters/queue/queues.server";

type Check = { ok: boolean; latencyMs: number; error?: string; [k: string]: unknown };

async function timed<T>(fn: () => Promise<T>, timeoutMs = 2000): Promise<{ ok: boolean; latencyMs: number; value?: T; error?: string }> {
  const start = performance.now();
  try {
    const value = await Promise.race([
      fn(),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs).unref()),
    ]);
    return { ok: true, latencyMs: Math.round(performance.now() - start), value };
  } catch (err) {
    return { ok: false, latencyMs: Math.round(performance.now() - start), error: err instanceof Error ? err.message : String(err) };
  }
}

export async function healthReport() {
  const [database, redis, queues, line] = await Promise.all([
    timed(() => db().$queryRaw`select 1`),
    timed(async () => {
      const client = queue(QUEUE_NAMES[0]).client;
      return client.ping();
    }),
    timed(() => queueDepths()),
    timed(async () => {
      // Any HTTP answer (401 without a token) proves LINE's API host is reachable.
      const res = await fetch(new URL("/v2/bot/info", env().LINE_API_BASE_URL), { signal: AbortSignal.timeout(2000) });
      await res.body?.cancel();
      return res.status;
    }),
  ]);
  const checks: Record<string, Check> = {
    database: { ok: database.ok, latencyMs: database.latencyMs, error: database.error },
    redis: { ok: redis.ok, latencyMs: redis.latencyMs, error: redis.error },
    queues: { ok: queues.ok, latencyMs: queues.latencyMs, error: queues.error, depth: queues.value },
    line: { ok: line.ok, latencyMs: line.latencyMs, error: line.error, baseUrl: env().LINE_API_BASE_URL, status: line.value },
  };
  const ok = checks.database.ok && checks.redis.ok && checks.queues.ok;
  return { status: ok ? (checks.line.ok ? "ok" : "degraded") : "error", checks, time: new Date().toISOString() };
}

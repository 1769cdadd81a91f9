// GET /healthz: database, Redis, queue depth and LINE API reachability. The route is public (load
// balancers, uptime checks), so its public answer is a bare status; the report with latencies and
// error texts goes to the log, and to callers presenting HEALTH_TOKEN (docs/security.md, issue 9 item 10).
import crypto from "node:crypto";
import { db } from "~/db.server";
import { logger } from "~/adapters/logger.server";
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

export type HealthReport = Awaited<ReturnType<typeof healthReport>>;

/** Full report: `{status: ok | degraded | error, checks: {database, redis, queues, line}, time}`; error texts included. */
async function healthReport() {
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

/** True when HEALTH_TOKEN is set and the request carries `Authorization: Bearer <HEALTH_TOKEN>` (constant-time compare). */
export function mayReadHealthDetails(authorization: string | null): boolean {
  const token = env().HEALTH_TOKEN;
  if (!token || !authorization?.startsWith("Bearer ")) return false;
  const given = crypto.createHash("sha256").update(authorization.slice("Bearer ".length)).digest();
  const expected = crypto.createHash("sha256").update(token).digest();
  return crypto.timingSafeEqual(given, expected);
}

/**
 * What GET /healthz answers. Public: `{status: "ok"}` (200) while PostgreSQL, Redis and the queues
 * answer, else `{status: "error"}` (503) — nothing else, so no error text, host or version reaches
 * the internet. LINE being unreachable is not this process failing: still "ok" publicly, logged.
 * Anything but "ok" logs the full report (warn). `details` (HEALTH_TOKEN holders) gets the full report.
 */
export async function healthAnswer(opts: { details: boolean }): Promise<{ status: 200 | 503; body: unknown }> {
  const report = await healthReport();
  const status = report.status === "error" ? 503 : 200;
  if (report.status !== "ok") logger().warn({ health: report }, "health check not ok");
  return { status, body: opts.details ? report : { status: status === 200 ? "ok" : "error" } };
}

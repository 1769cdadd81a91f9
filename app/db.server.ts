// The Prisma client (query compiler + pg driver adapter; no Rust engine). One per process; in
// development it survives Remix rebuilds on globalThis.
import { PrismaClient } from "@prisma/client";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { env } from "~/config/env.server";
import { reniceBackend } from "~/adapters/infra/backend-priority.server";

declare global {
  var __prisma: PrismaClient | undefined;
  var __hotPool: pg.Pool | undefined;
  var __clickPool: pg.Pool | undefined;
}

let backendNice = 0;
let rolePoolSize = 10;

/**
 * Connections of this process's pools: Prisma's `size` and each plain pool's `max(5, size / 2)`.
 * `size` is DATABASE_POOL_SIZE, else the process's default: 10 (web; setDefaultPoolSize for the
 * worker). Pure, for the unit test.
 */
export function poolSizes(configured: number | undefined, roleDefault: number): { prisma: number; plain: number } {
  const prisma = configured ?? roleDefault;
  return { prisma, plain: Math.max(5, Math.ceil(prisma / 2)) };
}

/**
 * The pool size this process uses unless DATABASE_POOL_SIZE says otherwise; call before the first
 * query. The worker passes its WORKER_CONCURRENCY: an ingestion transaction keeps its connection while
 * it waits for another delivery's advisory lock on the same customer, so 10 connections left its
 * 20 jobs per queue waiting for a connection with CPU to spare (docs/benchmarks.md "Session of
 * 2026-12-03").
 */
export function setDefaultPoolSize(size: number): void {
  rolePoolSize = size;
}

const currentPoolSizes = () => poolSizes(env().DATABASE_POOL_SIZE, rolePoolSize);

/**
 * From now on, every PostgreSQL connection this process opens (Prisma's and the plain pools) has its
 * backend reniced to `nice` when the server runs on this machine (adapters/infra/backend-priority).
 * The worker calls it with WORKER_NICE before its first query, so its database work yields the CPU
 * to the web process like its own thread does.
 */
export function setDatabaseBackendNice(nice: number): void {
  backendNice = nice;
}

/** A pool whose new connections are reniced (pg-pool awaits `onConnect` before handing one out). */
function prioritisedPool(config: pg.PoolConfig): pg.Pool {
  const onConnect = async (client: pg.ClientBase) => {
    if (backendNice > 0) await reniceBackend(client, backendNice); // never throws
  };
  return new pg.Pool({ ...config, onConnect });
}

function createClient(): PrismaClient {
  const url = env().DATABASE_URL ?? process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set (entry points start an embedded PostgreSQL when it is unset)");
  const pool = prioritisedPool({ connectionString: url, max: currentPoolSizes().prisma });
  return new PrismaClient({ adapter: new PrismaPg(pool, { disposeExternalPool: true }) });
}

export function db(): PrismaClient {
  globalThis.__prisma ??= createClient();
  return globalThis.__prisma;
}

function plainPool(options: string): pg.Pool {
  const url = env().DATABASE_URL ?? process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set");
  // Prisma stores DateTime as UTC in `timestamp` columns; make now() agree whatever the server's zone.
  return prioritisedPool({ connectionString: url, max: currentPoolSizes().plain, options: `-c TimeZone=UTC ${options}`.trim() });
}

/**
 * A small plain-pg pool for the few public hot paths that must stay fast under load (webhook
 * recording): one named statement each, no query compiler. Measured on the 2-core VM: Prisma's
 * $queryRaw ~545 statements/s vs plain pg ~1,340/s for the same CTE. Everything else goes through Prisma.
 */
export function hotPool(): pg.Pool {
  globalThis.__hotPool ??= plainPool("");
  return globalThis.__hotPool;
}

/**
 * The tracked-link redirect's pool: as hotPool, but its commits are asynchronous
 * (`synchronous_commit=off`, https://www.postgresql.org/docs/current/wal-async-commit.html), so the
 * 302 does not wait for the WAL flush. A PostgreSQL crash (not an app crash) can lose the clicks of
 * the last ≤ 3 × wal_writer_delay (600 ms by default); data is never corrupted. Only clicks use it —
 * webhooks, sends and everything else commit synchronously (docs/decisions/009-click-commits.md).
 */
export function clickPool(): pg.Pool {
  globalThis.__clickPool ??= plainPool("-c synchronous_commit=off");
  return globalThis.__clickPool;
}

export async function disconnectDb(): Promise<void> {
  const pools = [globalThis.__hotPool, globalThis.__clickPool];
  globalThis.__hotPool = undefined;
  globalThis.__clickPool = undefined;
  await Promise.all(pools.map((p) => p?.end()));
  if (globalThis.__prisma) {
    await globalThis.__prisma.$disconnect();
    globalThis.__prisma = undefined;
  }
}

// The worker's database work at the worker's CPU priority. The worker lowers its own priority
// (WORKER_NICE) so the web process keeps answering webhooks within Shopify's timeout on a shared
// machine; but most of what a job costs is spent by the PostgreSQL backend process serving its
// connection, which runs at normal priority. Measured on the 2-core VM (docs/benchmarks.md, session
// of 2026-12-02 05:15–): the web process accepted 849 webhooks/s with no worker and 498/s with the
// niced worker busy ingesting — the difference was the worker's backends, not its Node thread.
//
// So a process that asked for it renices each PostgreSQL backend it connects to, when that backend
// is a process on this machine: the server is reached through localhost / a Unix socket and the pid
// PostgreSQL reports (pg_backend_pid()) belongs to a `postgres` process here. A remote server's pid
// means nothing on this machine and is never touched; renicing needs the right to (root, or the
// backend's owner) — without it nothing changes. `setpriority(2)` only ever lowers priority here.
import fs from "node:fs/promises";
import os from "node:os";
import type pg from "pg";

/** Hosts of a PostgreSQL server on this machine (a Unix socket directory starts with "/"). */
function isLocalHost(host: string | undefined): boolean {
  return !host || host.startsWith("/") || host === "localhost" || host === "127.0.0.1" || host === "::1";
}

/** Whether `pid` is a PostgreSQL server process on this machine (`/proc/<pid>/comm` is "postgres"). */
async function isLocalPostgres(pid: number): Promise<boolean> {
  const comm = await fs.readFile(`/proc/${pid}/comm`, "utf8").catch(() => "");
  return comm.trim() === "postgres";
}

export type ReniceOutcome = "reniced" | "remote" | "not-permitted";

/**
 * Lowers the CPU priority of the PostgreSQL backend serving `client` to at least `nice` (0–19; a
 * backend already nicer is left as is). Never throws: a remote server, a pid that is not a local
 * postgres process, or no permission leave everything unchanged and say so.
 */
export async function reniceBackend(client: pg.ClientBase, nice: number): Promise<ReniceOutcome> {
  if (!isLocalHost((client as unknown as { host?: string }).host)) return "remote";
  try {
    const { rows } = await client.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
    const pid = rows[0]!.pid;
    if (!(await isLocalPostgres(pid))) return "remote";
    os.setPriority(pid, Math.max(os.getPriority(pid), nice));
    return "reniced";
  } catch {
    return "not-permitted";
  }
}

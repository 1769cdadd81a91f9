// Shared pieces for benchmarks: an isolated stack (own PostgreSQL + Redis under .data/bench-<name>,
// migrated), child web/worker processes, percentiles and RSS sampling.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { appNodeArgs } from "../worker-flags";

export const ROOT = path.resolve(import.meta.dirname, "../..");

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

export function summarize(ms: number[]) {
  const s = [...ms].sort((a, b) => a - b);
  const r = (x: number) => Math.round(x * 10) / 10;
  return {
    count: s.length,
    p50: r(percentile(s, 50)),
    p95: r(percentile(s, 95)),
    p99: r(percentile(s, 99)),
    max: r(s[s.length - 1] ?? NaN),
  };
}

export async function isolatedStack(name: string, opts: { fresh?: boolean } = {}) {
  const dataDir = path.join(ROOT, ".data", `bench-${name}`);
  if (opts.fresh !== false) fs.rmSync(dataDir, { recursive: true, force: true });
  Object.assign(process.env, { DATA_DIR: dataDir, LOG_LEVEL: process.env.LOG_LEVEL ?? "warn", NODE_ENV: "development" });
  // Sized like a production server's (25% of RAM is the usual advice; 2 GB of this machine's 24 GB),
  // so a 1M-friend SegmentFacts scan is not measured against the 128 MB default. Floors share it.
  process.env.EMBEDDED_POSTGRES_SETTINGS ??= "shared_buffers=2GB";
  delete process.env.DATABASE_URL;
  delete process.env.REDIS_URL;
  const { bootstrap } = await import("../../app/adapters/infra/bootstrap.server");
  return bootstrap();
}

/**
 * The LINE emulator in this process (the app's LINE base URLs point at it) and a shop connected to a
 * channel on it. Call after isolatedStack().
 */
export async function benchShopOnEmulator(shopDomain: string) {
  return connectBenchShop(await startBenchEmulator(), shopDomain);
}

/**
 * The LINE emulator in this process, with LINE_* base URLs pointing at it (in process.env, so child
 * processes started afterwards use it too). Call after isolatedStack().
 */
export async function startBenchEmulator() {
  const { startLineEmulator } = await import("../../emulator/index");
  const emu = await startLineEmulator({ port: 0 });
  Object.assign(process.env, { LINE_API_BASE_URL: emu.apiBaseUrl, LINE_API_DATA_BASE_URL: emu.dataBaseUrl, LINE_LOGIN_BASE_URL: emu.url });
  const { resetEnv } = await import("../../app/config/env.server");
  resetEnv();
  return emu;
}

/** A dev shop connected to a new channel on the emulator (startBenchEmulator). */
export async function connectBenchShop(emu: Awaited<ReturnType<typeof startBenchEmulator>>, shopDomain: string) {
  const { installDevShop, connectLineChannel } = await import("../../app/services/shops.server");
  const { db } = await import("../../app/db.server");
  await installDevShop({ domain: shopDomain });
  const ch = emu.state.createChannel({});
  await connectLineChannel({
    domain: shopDomain,
    channelId: ch.channelId,
    channelSecret: ch.channelSecret,
    channelAccessToken: ch.channelAccessToken,
  });
  const shop = await db().shop.findUniqueOrThrow({ where: { domain: shopDomain } });
  return { emu, ch, shop };
}

export function ensureBuild() {
  if (fs.existsSync(path.join(ROOT, "build/index.js"))) return;
  const r = spawnSync(path.join(ROOT, "node_modules/.bin/remix"), ["build"], {
    cwd: ROOT,
    stdio: "inherit",
    env: { ...process.env, NODE_ENV: "production" },
  });
  if (r.status !== 0) throw new Error("remix build failed");
}

/**
 * A web or worker process as `npm start` / `npm run worker` run it: `node --import tsx <script>`, one
 * process (the `tsx` CLI would add a ~60 MB wrapper process that only relays signals).
 */
export function startProcess(script: string, env: Record<string, string | undefined> = {}): ChildProcess {
  const childEnv = { ...process.env, ...env };
  return spawn(process.execPath, appNodeArgs(script, childEnv), {
    cwd: ROOT,
    env: childEnv,
    // BENCH_CHILD_STDOUT=1: the children's logs (stdout) too, to see why a process exited.
    stdio: ["ignore", process.env.BENCH_CHILD_STDOUT ? "inherit" : "ignore", "inherit"],
  });
}

export async function stopProcess(child: ChildProcess) {
  if (child.exitCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}

export async function waitForHttp(url: string, timeoutMs = 60_000) {
  const started = Date.now();
  for (;;) {
    try {
      const res = await fetch(url);
      await res.arrayBuffer();
      if (res.ok) return;
    } catch {
      /* not yet */
    }
    if (Date.now() - started > timeoutMs) throw new Error(`${url} not up`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** A process and all its descendants (tsx runs the script in a child node process). */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      /* exited */
    }
  }
  const out: number[] = [];
  const stack = [root];
  while (stack.length) {
    const pid = stack.pop()!;
    out.push(pid);
    stack.push(...(children.get(pid) ?? []));
  }
  return out;
}

function rssKb(pid: number): number {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0);
  } catch {
    return 0; // exited
  }
}

/** RSS (MB) of a process tree now (0 once it has exited). */
export function treeRssMb(pid: number): number {
  return processTree(pid).reduce((kb, p) => kb + rssKb(p), 0) / 1024;
}

/** Peak RSS (MB) of a process tree, sampled every 200 ms until stop() is called. */
export function sampleRss(pid: number) {
  let peak = 0;
  const timer = setInterval(() => {
    peak = Math.max(peak, treeRssMb(pid));
  }, 200);
  return { stop: () => (clearInterval(timer), Math.round(peak)), tree: () => processTree(pid) };
}

/** `--quick`: every benchmark at small scale (`npm run bench -- all --quick`, run by CI). */
export const QUICK = process.argv.includes("--quick");

/** A `--name value` flag; `quick` is the default under --quick (else `fallback`). */
export function flag(name: string, fallback: string, quick?: string): string {
  const i = process.argv.indexOf(`--${name}`);
  if (i >= 0 && process.argv[i + 1] && !process.argv[i + 1]!.startsWith("--")) return process.argv[i + 1]!;
  return QUICK && quick !== undefined ? quick : fallback;
}

/** The machine and its load, printed with every result (docs/benchmarks.md quotes them). */
export function machine() {
  return {
    date: new Date().toISOString(),
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model,
    memGb: Math.round(os.totalmem() / 2 ** 30),
    loadAvg: os.loadavg().map((l) => Math.round(l * 10) / 10),
  };
}

export type LoadResult = { sent: number; achievedRps: number; statuses: Record<string, number>; latencyMs: ReturnType<typeof summarize> };

/**
 * Open loop: request i is sent at start + i/rate whatever earlier ones are doing; latency is measured
 * from the scheduled send time (so queueing shows). `send` resolves with the HTTP status.
 */
export async function openLoop(rate: number, seconds: number, send: (i: number) => Promise<number>): Promise<LoadResult> {
  const total = Math.round(rate * seconds);
  const lat: number[] = [];
  const statuses: Record<string, number> = {};
  const inflight: Promise<void>[] = [];
  const started = performance.now();
  for (let i = 0; i < total; i++) {
    const scheduled = started + (i * 1000) / rate;
    const wait = scheduled - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    inflight.push(
      send(i)
        .catch(() => "error")
        .then((s) => {
          statuses[s] = (statuses[s] ?? 0) + 1;
          lat.push(performance.now() - scheduled);
        }),
    );
  }
  await Promise.all(inflight);
  return { sent: total, achievedRps: Math.round(total / ((performance.now() - started) / 1000)), statuses, latencyMs: summarize(lat) };
}

/** Closed loop: `concurrency` senders back to back for `seconds` — the server's saturated throughput. */
export async function closedLoop(concurrency: number, seconds: number, send: (i: number) => Promise<number>): Promise<LoadResult> {
  const lat: number[] = [];
  const statuses: Record<string, number> = {};
  let n = 0;
  const started = performance.now();
  const end = started + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        const t0 = performance.now();
        const s = await send(n++).catch(() => "error");
        statuses[s] = (statuses[s] ?? 0) + 1;
        lat.push(performance.now() - t0);
      }
    }),
  );
  return { sent: n, achievedRps: Math.round(n / ((performance.now() - started) / 1000)), statuses, latencyMs: summarize(lat) };
}

/** The ratio printed with every benchmark: measured ÷ floor (1 = as fast as the floor). */
export function ratio(measured: number, floor: number): number {
  return floor > 0 ? Math.round((measured / floor) * 100) / 100 : NaN;
}

/** A signed Shopify webhook body, ready to send many times (the HMAC covers the body only). */
export interface PresignedWebhook {
  topic: string;
  body: string;
  hmac: string;
}

/**
 * Up to 2,000 realistic `orders/create` / `checkouts/update` payloads of a generated store with
 * `customers` customers, each signed once with `secret`.
 */
export async function presignedWebhooks(shopDomain: string, customers: number, secret: string): Promise<PresignedWebhook[]> {
  const { generateStore } = await import("../sandbox/generator");
  const { signShopifyWebhook } = await import("../sandbox/deliver");
  const pool: PresignedWebhook[] = [];
  for (const e of generateStore({ customers, seed: 7, shopDomain })) {
    if (e.kind !== "webhook" || (e.topic !== "orders/create" && e.topic !== "checkouts/update")) continue;
    const body = JSON.stringify(e.payload);
    pool.push({ topic: e.topic, body, hmac: signShopifyWebhook(body, secret) });
    if (pool.length >= 2000) break;
  }
  return pool;
}

/** POSTs `e` to `<base>/webhooks/<topic>` with Shopify's headers and `webhookId`; the HTTP status. */
export async function postPresignedWebhook(base: string, shopDomain: string, e: PresignedWebhook, webhookId: string): Promise<number> {
  const { request } = await import("undici");
  const res = await request(`${base}/webhooks/${e.topic}`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-shopify-topic": e.topic,
      "x-shopify-hmac-sha256": e.hmac,
      "x-shopify-shop-domain": shopDomain,
      "x-shopify-api-version": "2025-10",
      "x-shopify-webhook-id": webhookId,
      "x-shopify-triggered-at": new Date().toISOString(),
    },
    body: e.body,
  });
  await res.body.dump();
  return res.statusCode;
}

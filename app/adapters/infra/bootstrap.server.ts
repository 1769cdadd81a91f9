// Shared start-up for the processes (web, worker, CLI, sandbox): read .env if present, provide
// PostgreSQL and Redis (local stand-ins when their URLs are unset, outside production), and apply
// pending migrations to a local database.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { env, resetEnv } from "~/config/env.server";
import { provideLocalServices } from "~/adapters/infra/local-services.server";

export const ROOT = path.resolve(import.meta.dirname, "../../..");

/**
 * Loads .env, then — outside production — DATA_DIR/sandbox.env, which a running sandbox writes so
 * the CLI reaches its LINE emulator and app URL. Neither overrides variables already set.
 */
function loadDotEnv(file = path.join(ROOT, ".env")) {
  if (fs.existsSync(file)) process.loadEnvFile(file);
  resetEnv();
  const e = env();
  const sandboxEnv = path.resolve(ROOT, e.DATA_DIR, "sandbox.env");
  if (e.NODE_ENV !== "production" && fs.existsSync(sandboxEnv)) {
    process.loadEnvFile(sandboxEnv);
    resetEnv();
  }
}

function migrateDeploy(databaseUrl: string) {
  execFileSync(path.join(ROOT, "node_modules/.bin/prisma"), ["migrate", "deploy"], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl, CHECKPOINT_DISABLE: "1" },
    stdio: ["ignore", "pipe", "inherit"],
  });
}

export async function bootstrap(opts: { log?: (m: string) => void; migrate?: boolean } = {}) {
  loadDotEnv();
  const before = env();
  const local = !before.DATABASE_URL || !before.REDIS_URL;
  if (local && before.NODE_ENV === "production") throw new Error("DATABASE_URL and REDIS_URL are required in production");
  const startedDbLocally = !before.DATABASE_URL;
  const services = await provideLocalServices({ dataDir: path.resolve(ROOT, before.DATA_DIR), log: opts.log });
  resetEnv();
  if (startedDbLocally && opts.migrate !== false) migrateDeploy(services.databaseUrl);
  return services;
}

// Starts a throw-away PostgreSQL (embedded) and Redis for the whole run, unless TEST_DATABASE_URL /
// TEST_REDIS_URL point at real servers, and migrates a template database that every test worker
// clones (CREATE DATABASE … TEMPLATE), so each test file gets a fresh database in ~100 ms.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import type { TestProject } from "vitest/node";
import { startEmbeddedPostgres, startPrivateRedis } from "../../app/adapters/infra/local-services.server";
import { execFileSync } from "node:child_process";
import { ROOT } from "../../app/adapters/infra/bootstrap.server";

declare module "vitest" {
  export interface ProvidedContext {
    templateDatabaseUrl: string;
    redisUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const stops: Array<() => Promise<void>> = [];
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "linecrm-test-"));
  fs.chmodSync(tmp, 0o777);

  let baseUrl = process.env.TEST_DATABASE_URL;
  if (!baseUrl) {
    const pgService = await startEmbeddedPostgres({ dataDir: path.join(tmp, "pg"), database: "postgres" });
    stops.push(pgService.stop);
    baseUrl = pgService.url;
  }
  let redisUrl = process.env.TEST_REDIS_URL;
  if (!redisUrl) {
    const redis = await startPrivateRedis({ dataDir: path.join(tmp, "redis") });
    stops.push(redis.stop);
    redisUrl = redis.url;
  }

  const template = new URL(baseUrl);
  template.pathname = "/linecrm_test_template";
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`drop database if exists linecrm_test_template with (force)`);
  await admin.query(`create database linecrm_test_template`);
  await admin.end();
  // The template follows prisma/schema.prisma (db push), so tests see schema changes at once;
  // test/integration/migrations.test.ts checks that prisma/migrations produce the same schema.
  execFileSync(path.join(ROOT, "node_modules/.bin/prisma"), ["db", "push", "--skip-generate", "--accept-data-loss"], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: template.toString(), CHECKPOINT_DISABLE: "1" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  // What db push cannot create (functions, triggers: prisma/sql/*.sql, also held by the migrations).
  const sqlDir = path.join(ROOT, "prisma/sql");
  const tpl = new pg.Client({ connectionString: template.toString() });
  await tpl.connect();
  for (const f of fs
    .readdirSync(sqlDir)
    .filter((n) => n.endsWith(".sql"))
    .sort())
    await tpl.query(fs.readFileSync(path.join(sqlDir, f), "utf8"));
  await tpl.end();

  project.provide("templateDatabaseUrl", template.toString());
  project.provide("redisUrl", redisUrl);

  return async () => {
    const cleanup = new pg.Client({ connectionString: baseUrl });
    await cleanup.connect();
    const { rows } = await cleanup.query(`select datname from pg_database where datname like 'linecrm_test_w%'`);
    for (const r of rows) await cleanup.query(`drop database if exists "${r.datname}" with (force)`);
    await cleanup.end();
    for (const stop of stops.reverse()) await stop().catch(() => {});
    fs.rmSync(tmp, { recursive: true, force: true });
  };
}

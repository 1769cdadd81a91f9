// Per test worker: a fresh database cloned from the migrated template, and a Redis key prefix of its
// own, exported through process.env before any app module reads its config.
import { inject } from "vitest";
import pg from "pg";

const workerId = process.env.VITEST_POOL_ID ?? "0";
const templateUrl = inject("templateDatabaseUrl");
const dbName = `linecrm_test_w${workerId}_${process.pid}`;

if (!process.env.__TEST_DB_READY) {
  const admin = new pg.Client({ connectionString: templateUrl.replace(/\/[^/]+$/, "/postgres") });
  await admin.connect();
  await admin.query(`drop database if exists ${dbName} with (force)`);
  await admin.query(`create database ${dbName} template linecrm_test_template`);
  await admin.end();
  process.env.__TEST_DB_READY = "1";
}

process.env.NODE_ENV = "test";
process.env.DATABASE_URL = templateUrl.replace(/\/[^/]+$/, `/${dbName}`);
process.env.REDIS_URL = inject("redisUrl");
process.env.QUEUE_PREFIX = `test-${workerId}-${process.pid}`;
process.env.LOG_LEVEL ??= "silent";
process.env.ENCRYPTION_KEY ??= "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";
process.env.SHOPIFY_API_KEY = "testApiKey";
process.env.SHOPIFY_API_SECRET = "testApiSecretKey";
process.env.SHOPIFY_APP_URL = "https://my-test-app.myshopify.io";

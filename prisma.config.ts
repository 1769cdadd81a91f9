// Prisma CLI configuration (loaded only by the `prisma` CLI, never by the app).
// Fully offline: `engine: "js"` + the pg driver adapter, so no engine binary is downloaded.
// The patches below work around bugs of @prisma/adapter-pg 6.19 with the migrate engine; each is
// explained in docs/decisions/002-prisma-offline-js-engine.md.
import { defineConfig } from "prisma/config";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import crypto from "node:crypto";

// env("DATABASE_URL") must resolve when the CLI runs, even for `generate` (the CLI does not read .env
// once a config file exists). scripts/run.sh exports the embedded server's URL when it is unset.
process.env.DATABASE_URL ??= "postgresql://postgres:password@127.0.0.1:54329/app";
const url = new URL(process.env.DATABASE_URL);

// (1) The wasm schema engine arms a >=10 s timer it never clears; unref it so the CLI exits.
const realSetTimeout = globalThis.setTimeout;
globalThis.setTimeout = ((fn: (...a: unknown[]) => void, ms?: number, ...a: unknown[]) => {
  const t = realSetTimeout(fn, ms, ...a);
  if ((ms ?? 0) >= 10_000) t.unref?.();
  return t;
}) as typeof setTimeout;

// (2) prisma/orm#27403: adapter-pg 6.19 cannot map catalog type `name` (OID 19).
// (3) prisma/orm#29635: PostgreSQL 18 exposes "char" (OID 18) catalog columns the engine reads as Character.
const CHAR = 18,
  NAME = 19,
  NAME_ARRAY = 1003,
  TEXT = 25,
  TEXT_ARRAY = 1009,
  COLUMN_TYPE_CHARACTER = 6;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const resultProto = (pg as any).Result.prototype;
if (!resultProto.__prismaCliPatched) {
  const addFields = resultProto.addFields;
  resultProto.addFields = function (fields: Array<{ dataTypeID: number }>) {
    const charCols: number[] = [];
    fields.forEach((f, i) => {
      if (f.dataTypeID === CHAR) {
        f.dataTypeID = TEXT;
        charCols.push(i);
      } else if (f.dataTypeID === NAME) f.dataTypeID = TEXT;
      else if (f.dataTypeID === NAME_ARRAY) f.dataTypeID = TEXT_ARRAY;
    });
    if (charCols.length) this.rows.__charCols = charCols;
    return addFields.call(this, fields);
  };
  resultProto.__prismaCliPatched = true;
}
function patchQueryRaw(adapter: object) {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let proto: any = adapter;
  while (proto && !Object.prototype.hasOwnProperty.call(proto, "queryRaw")) proto = Object.getPrototypeOf(proto);
  if (!proto || proto.__charPatched) return;
  const queryRaw = proto.queryRaw;
  proto.queryRaw = async function (q: unknown) {
    const r = await queryRaw.call(this, q);
    for (const i of r.rows.__charCols ?? []) r.columnTypes[i] = COLUMN_TYPE_CHARACTER;
    return r;
  };
  proto.__charPatched = true;
}

// (7) adapter-pg 6.19 executeScript splits a migration on every ";", which breaks dollar-quoted
// function bodies (the SegmentFacts triggers); send the script whole, as one simple-query message
// (PostgreSQL runs it statement by statement in one implicit transaction).
function patchExecuteScript(adapter: object) {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let proto: any = adapter;
  while (proto && !Object.prototype.hasOwnProperty.call(proto, "executeScript")) proto = Object.getPrototypeOf(proto);
  if (!proto || proto.__scriptPatched) return;
  proto.executeScript = async function (script: string) {
    try {
      await this.client.query(script);
    } catch (error) {
      this.onError(error);
    }
  };
  proto.__scriptPatched = true;
}

export default defineConfig({
  experimental: { adapter: true },
  schema: "prisma/schema.prisma",
  engine: "js",
  adapter: async () => {
    // (4) discrete fields, not connectionString: otherwise migrate's shadow work runs on the main DB.
    // (5) allowExitOnIdle: otherwise the CLI waits for the pool's idle timeout before exiting.
    const cfg = {
      host: url.hostname,
      port: Number(url.port || 5432),
      database: url.pathname.slice(1),
      user: decodeURIComponent(url.username),
      password: decodeURIComponent(url.password),
      allowExitOnIdle: true,
    };
    const factory = new PrismaPg(cfg);
    const connect = factory.connect.bind(factory);
    factory.connect = async () => {
      const a = await connect();
      patchQueryRaw(a);
      patchExecuteScript(a);
      return a;
    };
    // (6) adapter-pg 6.19 drops the shadow DB before closing its pool; do it in the right order.
    factory.connectToShadowDb = async () => {
      const admin = await connect();
      const name = `prisma_migrate_shadow_db_${crypto.randomUUID().replaceAll("-", "")}`;
      await admin.executeScript(`CREATE DATABASE "${name}"`);
      const shadow = await new PrismaPg({ ...cfg, database: name }).connect();
      patchQueryRaw(shadow);
      patchExecuteScript(shadow);
      const dispose = shadow.dispose.bind(shadow);
      shadow.dispose = async () => {
        await dispose();
        await admin.executeScript(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        await admin.dispose();
      };
      return shadow;
    };
    return factory;
  },
});

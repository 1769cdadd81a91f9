// The Prisma client (query compiler + pg driver adapter; no Rust engine). One per process; in
// development it survives Remix rebuilds on globalThis.
import { PrismaClient } from "@prisma/client";
import { PrismaPg } from "@prisma/adapter-pg";
import { env } from "~/config/env.server";

declare global {
  var __prisma: PrismaClient | undefined;
}

function createClient(): PrismaClient {
  const url = env().DATABASE_URL ?? process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set (entry points start an embedded PostgreSQL when it is unset)");
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: url, max: 10 }) });
}

export function db(): PrismaClient {
  globalThis.__prisma ??= createClient();
  return globalThis.__prisma;
}

export async function disconnectDb(): Promise<void> {
  if (globalThis.__prisma) {
    await globalThis.__prisma.$disconnect();
    globalThis.__prisma = undefined;
  }
}

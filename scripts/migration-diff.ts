// Prints the SQL that brings prisma/migrations up to prisma/schema.prisma (the next migration).
// `prisma migrate diff --from-migrations` needs a database server for its shadow database: this
// starts a private embedded PostgreSQL in a temporary directory, runs the diff against it and stops it.
// Usage: npm run -s migration:diff > prisma/migrations/<YYYYMMDDHHMMSS>_<name>/migration.sql
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { startEmbeddedPostgres } from "~/adapters/infra/local-services.server";

const dir = mkdtempSync(path.join(os.tmpdir(), "migration-diff-"));
const pg = await startEmbeddedPostgres({ dataDir: path.join(dir, "data") });
try {
  const sql = execFileSync(
    "prisma",
    ["migrate", "diff", "--from-migrations", "prisma/migrations", "--to-schema-datamodel", "prisma/schema.prisma", "--script"],
    { env: { ...process.env, DATABASE_URL: pg.url }, encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] },
  );
  process.stdout.write(sql);
} finally {
  await pg.stop();
  rmSync(dir, { recursive: true, force: true });
}

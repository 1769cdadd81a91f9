// prisma/sql/*.sql hold what schema.prisma cannot express (functions, triggers, partial indexes); the
// migrations hold the same text. For the tests that check a file against its newest migration.
import fs from "node:fs";
import path from "node:path";
import { ROOT } from "~/adapters/infra/bootstrap.server";

/** The text of prisma/sql/<name>. */
export function prismaSqlFile(name: string): string {
  return fs.readFileSync(path.join(ROOT, "prisma/sql", name), "utf8");
}

/** The texts of the migrations whose SQL contains `marker`, oldest first. */
export function migrationsDefining(marker: string): string[] {
  const dir = path.join(ROOT, "prisma/migrations");
  return fs
    .readdirSync(dir)
    .sort()
    .map((m) => path.join(dir, m, "migration.sql"))
    .filter((f) => fs.existsSync(f))
    .map((f) => fs.readFileSync(f, "utf8"))
    .filter((text) => text.includes(marker));
}

// prisma/migrations must produce exactly prisma/schema.prisma (one schema, one migration history).
// `migrate diff --from-migrations` replays the history on a shadow database (prisma.config.ts).
import { execFileSync } from "node:child_process";
import path from "node:path";
import { expect, it } from "vitest";
import { ROOT } from "~/adapters/infra/bootstrap.server";

it("the migration history matches schema.prisma", () => {
  const diff = execFileSync(
    path.join(ROOT, "node_modules/.bin/prisma"),
    ["migrate", "diff", "--from-migrations", "prisma/migrations", "--to-schema-datamodel", "prisma/schema.prisma", "--script"],
    { cwd: ROOT, env: { ...process.env, CHECKPOINT_DISABLE: "1" }, stdio: "pipe" },
  ).toString();
  const statements = diff.split("\n").filter((l) => l.trim() && !l.startsWith("--"));
  expect(statements, `schema.prisma has changes without a migration:\n${diff}`).toEqual([]);
}, 240_000); // starts a shadow PostgreSQL and replays every migration: slow on a loaded 2-core machine

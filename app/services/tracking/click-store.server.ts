// The redirect's one statement, on the shared hot-path pg pool (db.server.ts) with a named statement.
// Measured: Prisma's $queryRaw (query compiler + driver adapter) sustained ~545 clicks/s on the
// 2-core VM, plain pg ~1,340/s for the same CTE — the redirect is the one hot public path, so it
// bypasses Prisma (docs/broadcasts.md#tracked-links). Same DATABASE_URL, same transaction semantics.
import { hotPool } from "~/db.server";

const CLICK_SQL = `
  WITH l AS (SELECT id, "shopId", url, "sourceType", "sourceId", area FROM "TrackedLink" WHERE code = $1),
  ins AS (
    INSERT INTO "LinkClick" ("shopId", "linkId", "friendId", "sourceType", "sourceId", area, "userAgent", at)
    SELECT l."shopId", l.id, (SELECT f.id FROM "Friend" f WHERE f.id = $2::int AND f."shopId" = l."shopId"),
           l."sourceType", l."sourceId", l.area, $3, now()
    FROM l
  )
  SELECT url, "sourceType" FROM l`;

export async function insertClick(
  code: string,
  friendId: number | null,
  userAgent: string | null,
): Promise<{ url: string; sourceType: string } | null> {
  const r = await hotPool().query<{ url: string; sourceType: string }>({
    name: "tracked-link-click",
    text: CLICK_SQL,
    values: [code, friendId, userAgent],
  });
  return r.rows[0] ?? null;
}

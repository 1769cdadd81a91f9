// The redirect's one statement, on the click pool (db.server.ts: plain pg, asynchronous commit) with a named statement.
// Measured: Prisma's $queryRaw (query compiler + driver adapter) sustained ~545 clicks/s on the
// 2-core VM, plain pg ~1,340/s for the same CTE — the redirect is the one hot public path, so it
// bypasses Prisma (docs/broadcasts.md#tracked-links). Same DATABASE_URL, same transaction semantics.
import { clickPool } from "~/db.server";

// One statement: the link lookup, the friend check (the friend must belong to the link's shop) and
// the click. A visitor's first click in a window inserts (visitor, window) — unique per link, so
// concurrent repeats cannot both count; a repeat is logged with NULLs (not counted). No visitor
// ($4 NULL, a bot) → nothing is logged; the redirect still happens.
const CLICK_SQL = `
  WITH l AS (SELECT id, "shopId", url, "sourceType", "sourceId", area FROM "TrackedLink" WHERE code = $1),
  c AS (
    SELECT l."shopId", l.id AS "linkId", (SELECT f.id FROM "Friend" f WHERE f.id = $2::int AND f."shopId" = l."shopId") AS "friendId",
           l."sourceType", l."sourceId", l.area
    FROM l WHERE $4::text IS NOT NULL),
  counted AS (
    INSERT INTO "LinkClick" ("shopId", "linkId", "friendId", "sourceType", "sourceId", area, "userAgent", at, visitor, "clickWindow")
    SELECT c.*, $3, now(), $4, $5::int FROM c
    ON CONFLICT ("linkId", visitor, "clickWindow") DO NOTHING
    RETURNING id),
  repeat AS (
    INSERT INTO "LinkClick" ("shopId", "linkId", "friendId", "sourceType", "sourceId", area, "userAgent", at)
    SELECT c.*, $3, now() FROM c WHERE NOT EXISTS (SELECT 1 FROM counted))
  SELECT url, "sourceType" FROM l`;

/**
 * Looks up the link by code and logs the click; null for an unknown code. `visitor` null = do not
 * log (a bot); `window` = domain/tracking/clicks.ts clickWindow.
 */
export async function insertClick(
  code: string,
  friendId: number | null,
  userAgent: string | null,
  visitor: string | null,
  window: number,
): Promise<{ url: string; sourceType: string } | null> {
  const r = await clickPool().query<{ url: string; sourceType: string }>({
    name: "tracked-link-click",
    text: CLICK_SQL,
    values: [code, friendId, userAgent, visitor, window],
  });
  return r.rows[0] ?? null;
}

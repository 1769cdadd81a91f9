// The redirect's statement, on the click pool (db.server.ts: plain pg, asynchronous commit) with a named statement.
// Measured: Prisma's $queryRaw (query compiler + driver adapter) sustained ~545 clicks/s on the
// 2-core VM, plain pg ~1,340/s for the same CTE — the redirect is the one hot public path, so it
// bypasses Prisma (docs/broadcasts.md#tracked-links). Same DATABASE_URL, same transaction semantics.
import { clickPool } from "~/db.server";
import { groupCommit, type GroupCommit } from "~/adapters/group-commit";

// One statement for a batch of clicks (group commit: adapters/group-commit.ts; a quiet redirect is a
// batch of one): per click the link lookup, the friend check (the friend must belong to the link's
// shop) and the click. A visitor's first click in a window inserts (visitor, window) — unique per
// link, so concurrent repeats cannot both count; a repeat is logged with NULLs (not counted). Within
// one batch the first click of a (link, visitor, window) by arrival (`ord`) is the one that may count,
// the others are repeats, as they would be one statement later. No visitor (NULL, a bot) → nothing
// is logged; the redirect still happens. One row per input, in order (NULL url: unknown code).
const CLICK_BATCH_SQL = `
  WITH input AS (
    SELECT * FROM unnest($1::text[], $2::int[], $3::text[], $4::text[], $5::int[])
      WITH ORDINALITY AS i(code, "friendId", "userAgent", visitor, "clickWindow", ord)),
  l AS (
    SELECT i.ord, t.id, t."shopId", t.url, t."sourceType", t."sourceId", t.area, i."userAgent", i.visitor, i."clickWindow",
           (SELECT f.id FROM "Friend" f WHERE f.id = i."friendId" AND f."shopId" = t."shopId") AS "friendId"
    FROM input i JOIN "TrackedLink" t ON t.code = i.code),
  c AS (SELECT * FROM l WHERE visitor IS NOT NULL),
  first AS (SELECT DISTINCT ON (id, visitor, "clickWindow") * FROM c ORDER BY id, visitor, "clickWindow", ord),
  counted AS (
    INSERT INTO "LinkClick" ("shopId", "linkId", "friendId", "sourceType", "sourceId", area, "userAgent", at, visitor, "clickWindow")
    SELECT "shopId", id, "friendId", "sourceType", "sourceId", area, "userAgent", now(), visitor, "clickWindow" FROM first ORDER BY ord
    ON CONFLICT ("linkId", visitor, "clickWindow") DO NOTHING
    RETURNING "linkId", visitor, "clickWindow"),
  repeat AS (
    INSERT INTO "LinkClick" ("shopId", "linkId", "friendId", "sourceType", "sourceId", area, "userAgent", at)
    SELECT "shopId", id, "friendId", "sourceType", "sourceId", area, "userAgent", now() FROM c
    WHERE NOT EXISTS (
      SELECT 1 FROM first f JOIN counted k ON k."linkId" = f.id AND k.visitor = f.visitor AND k."clickWindow" = f."clickWindow"
      WHERE f.ord = c.ord))
  SELECT l.url, l."sourceType" FROM input i LEFT JOIN l ON l.ord = i.ord ORDER BY i.ord`;

/** One click as the redirect records it; see insertClick. */
interface ClickInput {
  code: string;
  friendId: number | null;
  userAgent: string | null;
  visitor: string | null;
  window: number;
}
type ClickTarget = { url: string; sourceType: string } | null;

async function writeClicks(clicks: ClickInput[]): Promise<ClickTarget[]> {
  const r = await clickPool().query<{ url: string | null; sourceType: string | null }>({
    name: "tracked-link-clicks",
    text: CLICK_BATCH_SQL,
    values: [
      clicks.map((c) => c.code),
      clicks.map((c) => c.friendId),
      clicks.map((c) => c.userAgent),
      clicks.map((c) => c.visitor),
      clicks.map((c) => c.window),
    ],
  });
  return r.rows.map((row) => (row.url === null ? null : { url: row.url, sourceType: row.sourceType! }));
}

// Up to 2 statements at once on the click pool (5 connections); clicks arriving meanwhile share the next.
let committer: GroupCommit<ClickInput, ClickTarget> | undefined;
const clickCommitter = () => (committer ??= groupCommit({ write: writeClicks, maxInFlight: 2, maxBatch: 200 }));

/**
 * Looks up the link by code and logs the click; null for an unknown code. `visitor` null = do not
 * log (a bot); `window` = domain/tracking/clicks.ts clickWindow. Clicks arriving together share one
 * statement (group commit); this resolves once the click's statement has committed.
 */
export function insertClick(
  code: string,
  friendId: number | null,
  userAgent: string | null,
  visitor: string | null,
  window: number,
): Promise<ClickTarget> {
  return clickCommitter().submit({ code, friendId, userAgent, visitor, window });
}

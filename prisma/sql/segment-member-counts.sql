-- Segment.memberCount maintenance: functions and triggers PostgreSQL runs, which schema.prisma cannot
-- express. Idempotent. The migration that introduced it (20261203110000_segment_member_counts)
-- holds this text verbatim, and the test template database (test/support/global-setup.ts, built by
-- db push) runs this file after the push. test/integration/segment-member-counts.test.ts checks
-- that the newest migration text of it equals this file, so a change here needs a migration that
-- repeats it.
--
-- What the count is (docs/segments.md "Member counts"): the segment's SegmentMembership rows whose
-- friend is sendable in SegmentFacts (following AND NOT marketingOptOut) — the friends a broadcast
-- to the segment reaches before the frequency cap, and what countSegment returns while the
-- memberships are current. Two tables feed it, so two kinds of triggers keep it, each adding the
-- change of its own statement, in the same transaction, whatever code path wrote it:
--   SegmentMembership INSERT / DELETE / UPDATE: ± the changed rows whose friend is sendable now;
--   SegmentFacts UPDATE / DELETE / INSERT: ± the memberships of friends whose sendability changed.
--
-- Concurrency (READ COMMITTED): a membership change and a sendability change of the same friend
-- in two transactions must not both miss each other. Both lock the Segment rows first (FOR NO
-- KEY UPDATE, in id order: no deadlock between them) and only then read the other table, in a
-- later statement with a newer snapshot: whichever commits second counts what the first committed.
-- A membership statement locks only its own segments, until its transaction ends (the app's
-- membership writes are single autocommit statements, so the lock lasts one statement); a
-- sendability change (follow, unfollow, consent, friend deleted — rare next to membership
-- changes) locks the segments of the friend's shop. A facts row being inserted needs no lock: no
-- other transaction can see the friend yet, so none can have made it a member.
--
-- While Segment.membersPending is true (set by saving a definition, until refreshSegment has
-- brought the memberships to it and called segment_member_count_reset) memberCount is the count
-- taken when the definition was saved, and the triggers leave it alone.

-- The segments in seg_ids, locked in id order. Callers read the other table only afterwards, in a
-- later statement (a newer snapshot).
CREATE OR REPLACE FUNCTION segment_member_counts_lock(seg_ids integer[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  PERFORM 1 FROM "Segment" s WHERE s.id = ANY(seg_ids) ORDER BY s.id FOR NO KEY UPDATE OF s;
END $$;

-- SegmentMembership: the rows a statement inserted count +1, deleted -1, when their friend is
-- sendable now. (Transition tables are visible only in the trigger function itself, so each
-- function holds its own query.)
CREATE OR REPLACE FUNCTION segment_member_counts_membership_ins() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM new_rows) THEN
    RETURN NULL;
  END IF;
  PERFORM segment_member_counts_lock(ARRAY(SELECT DISTINCT n."segmentId" FROM new_rows n));
  UPDATE "Segment" s
     SET "memberCount" = COALESCE(s."memberCount", 0) + d.n, "countedAt" = now() AT TIME ZONE 'UTC'
    FROM (SELECT n."segmentId" AS seg, count(*)::int AS n
            FROM new_rows n JOIN "SegmentFacts" f ON f."friendId" = n."friendId"
           WHERE f.following AND NOT f."marketingOptOut"
           GROUP BY n."segmentId") d
   WHERE s.id = d.seg AND NOT s."membersPending";
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION segment_member_counts_membership_del() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM old_rows) THEN
    RETURN NULL;
  END IF;
  PERFORM segment_member_counts_lock(ARRAY(SELECT DISTINCT o."segmentId" FROM old_rows o));
  UPDATE "Segment" s
     SET "memberCount" = COALESCE(s."memberCount", 0) - d.n, "countedAt" = now() AT TIME ZONE 'UTC'
    FROM (SELECT o."segmentId" AS seg, count(*)::int AS n
            FROM old_rows o JOIN "SegmentFacts" f ON f."friendId" = o."friendId"
           WHERE f.following AND NOT f."marketingOptOut"
           GROUP BY o."segmentId") d
   WHERE s.id = d.seg AND NOT s."membersPending";
  RETURN NULL;
END $$;

-- The app never updates memberships; a statement that moves one (to another segment or friend)
-- counts as a delete and an insert.
CREATE OR REPLACE FUNCTION segment_member_counts_membership_upd() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT n."segmentId", n."friendId" FROM new_rows n EXCEPT ALL SELECT o."segmentId", o."friendId" FROM old_rows o) THEN
    RETURN NULL;
  END IF;
  PERFORM segment_member_counts_lock(ARRAY(SELECT n."segmentId" FROM new_rows n UNION SELECT o."segmentId" FROM old_rows o));
  UPDATE "Segment" s
     SET "memberCount" = COALESCE(s."memberCount", 0) + d.n, "countedAt" = now() AT TIME ZONE 'UTC'
    FROM (SELECT c.seg, sum(c.sign)::int AS n
            FROM (SELECT n."segmentId" AS seg, n."friendId" AS friend, 1 AS sign FROM new_rows n
                  UNION ALL SELECT o."segmentId", o."friendId", -1 FROM old_rows o) c
            JOIN "SegmentFacts" f ON f."friendId" = c.friend
           WHERE f.following AND NOT f."marketingOptOut"
           GROUP BY c.seg) d
   WHERE s.id = d.seg AND d.n <> 0 AND NOT s."membersPending";
  RETURN NULL;
END $$;

DROP TRIGGER IF EXISTS segment_member_counts_membership_ins ON "SegmentMembership";
CREATE TRIGGER segment_member_counts_membership_ins AFTER INSERT ON "SegmentMembership"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION segment_member_counts_membership_ins();
DROP TRIGGER IF EXISTS segment_member_counts_membership_del ON "SegmentMembership";
CREATE TRIGGER segment_member_counts_membership_del AFTER DELETE ON "SegmentMembership"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION segment_member_counts_membership_del();
DROP TRIGGER IF EXISTS segment_member_counts_membership_upd ON "SegmentMembership";
CREATE TRIGGER segment_member_counts_membership_upd AFTER UPDATE ON "SegmentMembership"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION segment_member_counts_membership_upd();

-- SegmentFacts: the memberships of friends whose sendability a statement changed count +1 (became
-- sendable) or -1 (no longer sendable, or the row is gone: the friend was deleted).
CREATE OR REPLACE FUNCTION segment_member_counts_facts_upd() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  shops integer[];
BEGIN
  -- Per friend: sendable after (1/0) minus sendable before (1/0), by a hashed aggregate over both
  -- transition tables — never a join of one to the other: they have no indexes, so that join is a
  -- nested loop, quadratic for a bulk statement (tagging 50,000 friends took minutes). Friends whose
  -- sendability did not change (e.g. only their tags did) drop out in the HAVING.
  SELECT array_agg(DISTINCT d."shopId") INTO shops
    FROM (SELECT x."shopId"
            FROM (SELECT n."friendId", n."shopId", (n.following AND NOT n."marketingOptOut")::int AS r FROM new_rows n
                  UNION ALL
                  SELECT o."friendId", o."shopId", -((o.following AND NOT o."marketingOptOut")::int) FROM old_rows o) x
           GROUP BY x."friendId", x."shopId"
          HAVING sum(x.r) <> 0) d;
  IF shops IS NULL THEN
    RETURN NULL;
  END IF;
  PERFORM segment_member_counts_lock(ARRAY(SELECT s.id FROM "Segment" s WHERE s."shopId" = ANY(shops)));
  UPDATE "Segment" s
     SET "memberCount" = COALESCE(s."memberCount", 0) + c.n, "countedAt" = now() AT TIME ZONE 'UTC'
    FROM (SELECT m."segmentId" AS seg, sum(d.delta)::int AS n
            FROM (SELECT x."friendId", sum(x.r) AS delta
                    FROM (SELECT n."friendId", (n.following AND NOT n."marketingOptOut")::int AS r FROM new_rows n
                          UNION ALL
                          SELECT o."friendId", -((o.following AND NOT o."marketingOptOut")::int) FROM old_rows o) x
                   GROUP BY x."friendId"
                  HAVING sum(x.r) <> 0) d
            JOIN "SegmentMembership" m ON m."friendId" = d."friendId"
           GROUP BY m."segmentId") c
   WHERE s.id = c.seg AND c.n <> 0 AND NOT s."membersPending";
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION segment_member_counts_facts_del() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  shops integer[];
BEGIN
  SELECT array_agg(DISTINCT o."shopId") INTO shops FROM old_rows o WHERE o.following AND NOT o."marketingOptOut";
  IF shops IS NULL THEN
    RETURN NULL;
  END IF;
  PERFORM segment_member_counts_lock(ARRAY(SELECT s.id FROM "Segment" s WHERE s."shopId" = ANY(shops)));
  UPDATE "Segment" s
     SET "memberCount" = COALESCE(s."memberCount", 0) - d.n, "countedAt" = now() AT TIME ZONE 'UTC'
    FROM (SELECT m."segmentId" AS seg, count(*)::int AS n
            FROM old_rows o JOIN "SegmentMembership" m ON m."friendId" = o."friendId"
           WHERE o.following AND NOT o."marketingOptOut"
           GROUP BY m."segmentId") d
   WHERE s.id = d.seg AND NOT s."membersPending";
  RETURN NULL;
END $$;

-- A new facts row (a new friend) has no memberships yet: none can be made before the friend is
-- visible. Counted anyway, without locks, so the number stays exact if one exists.
CREATE OR REPLACE FUNCTION segment_member_counts_facts_ins() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "Segment" s
     SET "memberCount" = COALESCE(s."memberCount", 0) + d.n, "countedAt" = now() AT TIME ZONE 'UTC'
    FROM (SELECT m."segmentId" AS seg, count(*)::int AS n
            FROM new_rows n JOIN "SegmentMembership" m ON m."friendId" = n."friendId"
           WHERE n.following AND NOT n."marketingOptOut"
           GROUP BY m."segmentId") d
   WHERE s.id = d.seg AND NOT s."membersPending";
  RETURN NULL;
END $$;

DROP TRIGGER IF EXISTS segment_member_counts_facts_upd ON "SegmentFacts";
CREATE TRIGGER segment_member_counts_facts_upd AFTER UPDATE ON "SegmentFacts"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION segment_member_counts_facts_upd();
DROP TRIGGER IF EXISTS segment_member_counts_facts_del ON "SegmentFacts";
CREATE TRIGGER segment_member_counts_facts_del AFTER DELETE ON "SegmentFacts"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION segment_member_counts_facts_del();
DROP TRIGGER IF EXISTS segment_member_counts_facts_ins ON "SegmentFacts";
CREATE TRIGGER segment_member_counts_facts_ins AFTER INSERT ON "SegmentFacts"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION segment_member_counts_facts_ins();

-- After refreshSegment brought a pending segment's memberships to `def` (its definition as
-- evaluated): count them once and let the triggers carry on from there. Does nothing unless the
-- segment is pending and still has that definition (a newer save waits for its own refresh).
-- Returns the count set, or NULL when nothing was done.
CREATE OR REPLACE FUNCTION segment_member_count_reset(seg integer, def jsonb) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  pending boolean;
  n integer;
BEGIN
  SELECT s."membersPending" AND s.definition = def INTO pending FROM "Segment" s WHERE s.id = seg FOR NO KEY UPDATE OF s;
  IF pending IS NOT TRUE THEN
    RETURN NULL;
  END IF;
  -- A later statement than the lock: its snapshot has every membership committed before it.
  SELECT count(*)::int INTO n
    FROM "SegmentMembership" m JOIN "SegmentFacts" f ON f."friendId" = m."friendId"
   WHERE m."segmentId" = seg AND f.following AND NOT f."marketingOptOut";
  UPDATE "Segment" s SET "memberCount" = n, "countedAt" = now() AT TIME ZONE 'UTC', "membersPending" = false WHERE s.id = seg;
  RETURN n;
END $$;

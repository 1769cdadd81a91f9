-- SegmentFacts maintenance: functions and triggers PostgreSQL runs, which schema.prisma cannot
-- express. Idempotent. The migration that introduced it (20261202160000_segment_facts) holds this
-- text verbatim, and the test template database (test/support/global-setup.ts, built by db push)
-- runs this file after the push. test/integration/segment-facts.test.ts checks that the newest
-- migration text of it equals this file, so a change here needs a migration that repeats it.
--
-- What the segment SQL reads (app/domain/segments/compile-sql.ts), one row per friend, kept current
-- by the triggers below in the same transaction as every change to Friend, Customer or FriendTag,
-- whatever code path wrote it (Prisma, raw SQL, bulk statements, cascades).
--
-- segment_facts_refresh(ids) recomputes the rows of those friends from the source tables. Locks:
-- the linked customers FOR SHARE first, then the facts rows FOR UPDATE, each statement with its own
-- snapshot (READ COMMITTED), so two transactions changing facts of the same friend (an order and a
-- tag, a link and an order) serialize and the later one recomputes from what the earlier committed.
CREATE OR REPLACE FUNCTION segment_facts_refresh(ids integer[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF ids IS NULL OR cardinality(ids) = 0 THEN
    RETURN;
  END IF;
  PERFORM 1 FROM "Customer" c
    WHERE c.id IN (SELECT f."customerId" FROM "Friend" f JOIN unnest(ids) u(id) ON f.id = u.id WHERE f."customerId" IS NOT NULL)
    ORDER BY c.id FOR SHARE OF c;
  PERFORM 1 FROM "SegmentFacts" s JOIN unnest(ids) u(id) ON s."friendId" = u.id ORDER BY s."friendId" FOR UPDATE OF s;
  DELETE FROM "SegmentFacts" s
    WHERE s."friendId" IN (SELECT u.id FROM unnest(ids) u(id))
      AND NOT EXISTS (SELECT 1 FROM "Friend" f WHERE f.id = s."friendId");
  INSERT INTO "SegmentFacts" AS s ("friendId", "shopId", "followedAt", following, "marketingOptOut", "customerId",
                                   "shopifyCustomerId", "purchaseCount", "amountSpent", "lastPurchaseAt",
                                   "abandonedCheckoutAt", "customerTags", "tagIds")
  SELECT f.id, f."shopId", f."followedAt", f.following, f."marketingOptOut", c.id, c."shopifyCustomerId",
         c."purchaseCount", c."amountSpent", c."lastPurchaseAt", c."abandonedCheckoutAt", c.tags,
         COALESCE((SELECT array_agg(ft."tagId" ORDER BY ft."tagId") FROM "FriendTag" ft WHERE ft."friendId" = f.id), '{}')
    FROM (SELECT DISTINCT id FROM unnest(ids) u(id)) u
    JOIN "Friend" f ON f.id = u.id
    LEFT JOIN "Customer" c ON c.id = f."customerId" AND c."shopId" = f."shopId"
  ON CONFLICT ("friendId") DO UPDATE SET
    "shopId" = EXCLUDED."shopId", "followedAt" = EXCLUDED."followedAt", following = EXCLUDED.following,
    "marketingOptOut" = EXCLUDED."marketingOptOut", "customerId" = EXCLUDED."customerId",
    "shopifyCustomerId" = EXCLUDED."shopifyCustomerId", "purchaseCount" = EXCLUDED."purchaseCount",
    "amountSpent" = EXCLUDED."amountSpent", "lastPurchaseAt" = EXCLUDED."lastPurchaseAt",
    "abandonedCheckoutAt" = EXCLUDED."abandonedCheckoutAt", "customerTags" = EXCLUDED."customerTags",
    "tagIds" = EXCLUDED."tagIds"
  WHERE (s."shopId", s."followedAt", s.following, s."marketingOptOut", s."customerId", s."shopifyCustomerId",
         s."purchaseCount", s."amountSpent", s."lastPurchaseAt", s."abandonedCheckoutAt", s."customerTags", s."tagIds")
        IS DISTINCT FROM
        (EXCLUDED."shopId", EXCLUDED."followedAt", EXCLUDED.following, EXCLUDED."marketingOptOut", EXCLUDED."customerId",
         EXCLUDED."shopifyCustomerId", EXCLUDED."purchaseCount", EXCLUDED."amountSpent", EXCLUDED."lastPurchaseAt",
         EXCLUDED."abandonedCheckoutAt", EXCLUDED."customerTags", EXCLUDED."tagIds");
END $$;

-- Statement-level triggers with transition tables: a bulk statement (a tag added to a whole
-- segment, a backfill) refreshes its friends in one set-based call, not one call per row. Updates
-- that touch none of the copied columns (lastActivityAt, richMenuId, …) refresh nothing.
CREATE OR REPLACE FUNCTION segment_facts_friend_ins() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM segment_facts_refresh(ARRAY(SELECT n.id FROM new_rows n));
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION segment_facts_friend_upd() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM segment_facts_refresh(ARRAY(
    SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
     WHERE (n."shopId", n."followedAt", n.following, n."marketingOptOut", n."customerId")
           IS DISTINCT FROM (o."shopId", o."followedAt", o.following, o."marketingOptOut", o."customerId")));
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION segment_facts_friend_del() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM "SegmentFacts" s WHERE s."friendId" IN (SELECT o.id FROM old_rows o);
  RETURN NULL;
END $$;

DROP TRIGGER IF EXISTS segment_facts_friend_ins ON "Friend";
CREATE TRIGGER segment_facts_friend_ins AFTER INSERT ON "Friend"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION segment_facts_friend_ins();
DROP TRIGGER IF EXISTS segment_facts_friend_upd ON "Friend";
CREATE TRIGGER segment_facts_friend_upd AFTER UPDATE ON "Friend"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION segment_facts_friend_upd();
DROP TRIGGER IF EXISTS segment_facts_friend_del ON "Friend";
CREATE TRIGGER segment_facts_friend_del AFTER DELETE ON "Friend"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION segment_facts_friend_del();

-- Customer: the friends linked to an inserted, changed or deleted customer (same shop).
CREATE OR REPLACE FUNCTION segment_facts_customer_ins() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM segment_facts_refresh(ARRAY(
    SELECT f.id FROM new_rows n JOIN "Friend" f ON f."shopId" = n."shopId" AND f."customerId" = n.id));
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION segment_facts_customer_upd() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM segment_facts_refresh(ARRAY(
    SELECT f.id FROM new_rows n JOIN old_rows o ON o.id = n.id
      JOIN "Friend" f ON f."customerId" = n.id AND f."shopId" IN (n."shopId", o."shopId")
     WHERE (n."shopId", n."shopifyCustomerId", n."purchaseCount", n."amountSpent", n."lastPurchaseAt", n."abandonedCheckoutAt", n.tags)
           IS DISTINCT FROM (o."shopId", o."shopifyCustomerId", o."purchaseCount", o."amountSpent", o."lastPurchaseAt", o."abandonedCheckoutAt", o.tags)));
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION segment_facts_customer_del() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM segment_facts_refresh(ARRAY(
    SELECT f.id FROM old_rows o JOIN "Friend" f ON f."shopId" = o."shopId" AND f."customerId" = o.id));
  RETURN NULL;
END $$;

DROP TRIGGER IF EXISTS segment_facts_customer_ins ON "Customer";
CREATE TRIGGER segment_facts_customer_ins AFTER INSERT ON "Customer"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION segment_facts_customer_ins();
DROP TRIGGER IF EXISTS segment_facts_customer_upd ON "Customer";
CREATE TRIGGER segment_facts_customer_upd AFTER UPDATE ON "Customer"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION segment_facts_customer_upd();
DROP TRIGGER IF EXISTS segment_facts_customer_del ON "Customer";
CREATE TRIGGER segment_facts_customer_del AFTER DELETE ON "Customer"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION segment_facts_customer_del();

-- FriendTag: the friends whose tags were added or removed (also by a Tag's cascading delete).
CREATE OR REPLACE FUNCTION segment_facts_friend_tag_new() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM segment_facts_refresh(ARRAY(SELECT DISTINCT n."friendId" FROM new_rows n));
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION segment_facts_friend_tag_old() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM segment_facts_refresh(ARRAY(SELECT DISTINCT o."friendId" FROM old_rows o));
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION segment_facts_friend_tag_upd() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM segment_facts_refresh(ARRAY(
    SELECT n."friendId" FROM new_rows n UNION SELECT o."friendId" FROM old_rows o));
  RETURN NULL;
END $$;

DROP TRIGGER IF EXISTS segment_facts_friend_tag_ins ON "FriendTag";
CREATE TRIGGER segment_facts_friend_tag_ins AFTER INSERT ON "FriendTag"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION segment_facts_friend_tag_new();
DROP TRIGGER IF EXISTS segment_facts_friend_tag_upd ON "FriendTag";
CREATE TRIGGER segment_facts_friend_tag_upd AFTER UPDATE ON "FriendTag"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION segment_facts_friend_tag_upd();
DROP TRIGGER IF EXISTS segment_facts_friend_tag_del ON "FriendTag";
CREATE TRIGGER segment_facts_friend_tag_del AFTER DELETE ON "FriendTag"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION segment_facts_friend_tag_old();

-- Indexes of "SegmentFacts" that schema.prisma cannot express (partial, INCLUDE; Prisma 6 leaves them
-- alone in `migrate diff`). Idempotent. The migration that added it (20261210090000_segment_facts_amount_spent_index)
-- holds this text verbatim, and the test template database (test/support/global-setup.ts, built by
-- db push) runs this file after the push. test/integration/segment-facts.test.ts checks that the
-- newest migration text of it equals this file, so a change here needs a migration that repeats it.
--
-- "Amount spent" conditions (compile-sql.ts: purchased AND "amountSpent" <op> x) as an index-only range
-- over the purchasers, with the two columns every count filters on (sendable): an OR of groups, one
-- of them an amount, counted as the sum of its disjoint parts (disjointGroupParts) reads about 1,200
-- index pages for 320,000 purchasers of 1,000,000 friends instead of every friend's row
-- (docs/benchmarks.md, docs/decisions/017).
CREATE INDEX IF NOT EXISTS "SegmentFacts_amount_spent_idx" ON "SegmentFacts" ("shopId", "amountSpent")
  INCLUDE (following, "marketingOptOut") WHERE "customerId" IS NOT NULL AND "purchaseCount" > 0;

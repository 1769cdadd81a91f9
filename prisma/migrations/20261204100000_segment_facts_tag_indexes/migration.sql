-- "Has tag" and "has Shopify tag" segment conditions (f."tagIds" && …, f."customerTags" && …) read the
-- members through a bitmap index scan instead of scanning every friend's facts row: 1M friends, a 4%
-- tag: 145 → 37 ms (docs/benchmarks.md, issue 14). Tags change rarely, so the write cost is small.
-- CreateIndex
CREATE INDEX "SegmentFacts_tagIds_idx" ON "SegmentFacts" USING GIN ("tagIds");

-- CreateIndex
CREATE INDEX "SegmentFacts_customerTags_idx" ON "SegmentFacts" USING GIN ("customerTags");

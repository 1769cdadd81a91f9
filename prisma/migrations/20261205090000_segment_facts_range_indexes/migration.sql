-- "Days since last purchase" / "purchase count" and "abandoned cart within …" segment conditions read
-- the members from an index holding every column the count filters on (index-only scans, no heap
-- fetch), instead of scanning every friend's facts row. 1M friends (docs/benchmarks.md, issue 14),
-- psql on the benchmark data set: lapsedRepeat 190–205 → 133–161 ms, abandonedCart 143–157 → 10–11 ms.
-- The columns only change with a customer's facts (an order or checkout), one row at a time.
-- CreateIndex
CREATE INDEX "SegmentFacts_purchase_recency_idx" ON "SegmentFacts"("shopId", "lastPurchaseAt", "purchaseCount", "customerId", "following", "marketingOptOut");

-- CreateIndex
CREATE INDEX "SegmentFacts_abandoned_checkout_idx" ON "SegmentFacts"("shopId", "abandonedCheckoutAt", "customerId", "following", "marketingOptOut");

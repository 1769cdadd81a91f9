-- The shop-wide re-buy median of a product (refreshProductRebuy) as an index-only scan of its
-- intervals instead of reading every buyer's row (docs/benchmarks.md "Worker cost").
-- CreateIndex
CREATE INDEX "CustomerProduct_product_rebuy_idx" ON "CustomerProduct"("shopId", "productId", "rebuyIntervalDays");

-- "Product purchased" segment conditions read (productId, lastPurchasedAt) → shopifyCustomerId from
-- the index alone (index-only scan) instead of fetching heap pages (docs/benchmarks.md, issue 14).
CREATE INDEX "CustomerProduct_product_recency_customer_idx" ON "CustomerProduct"("shopId", "productId", "lastPurchasedAt", "shopifyCustomerId");

DROP INDEX "CustomerProduct_shopId_productId_lastPurchasedAt_idx";

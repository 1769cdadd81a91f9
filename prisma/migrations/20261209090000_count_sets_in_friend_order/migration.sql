-- Counts from several id sets (compile-sql.ts compileCountDriver) read each set as a sorted array:
-- from an index in friend order the sort is free and the scan index-only. A rich-menu area's taps by
-- (area, friendId, at): 150,047 coupon taps sorted in 23-27 ms against 60-65 ms (an index scan with
-- the area as a filter); one friend's clicks also carry the link, so a link's clickers are index-only
-- too (docs/benchmarks.md, session of 2026-12-03 12:15 UTC; docs/decisions/016).
-- DropIndex
DROP INDEX "RichMenuTap_area_driving_idx";

-- CreateIndex
CREATE INDEX "RichMenuTap_area_driving_idx" ON "RichMenuTap"("shopId", "area", "friendId", "at", "richMenuId");

-- DropIndex
DROP INDEX "LinkClick_shopId_friendId_at_idx";

-- CreateIndex
CREATE INDEX "LinkClick_shopId_friendId_at_linkId_idx" ON "LinkClick"("shopId", "friendId", "at", "linkId");

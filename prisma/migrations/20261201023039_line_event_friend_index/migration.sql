-- CreateIndex
CREATE INDEX "LineEvent_shopId_lineUserId_receivedAt_idx" ON "LineEvent"("shopId", "lineUserId", "receivedAt");

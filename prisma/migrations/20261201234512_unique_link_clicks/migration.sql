-- AlterTable
ALTER TABLE "LinkClick" ADD COLUMN     "clickWindow" INTEGER,
ADD COLUMN     "visitor" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "LinkClick_linkId_visitor_clickWindow_key" ON "LinkClick"("linkId", "visitor", "clickWindow");

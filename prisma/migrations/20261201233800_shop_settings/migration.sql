-- AlterTable
ALTER TABLE "Shop" ADD COLUMN     "authorizedAt" TIMESTAMP(3),
ADD COLUMN     "primaryLocale" TEXT,
ADD COLUMN     "settingsSyncedAt" TIMESTAMP(3),
ADD COLUMN     "shopifyUpdatedAt" TIMESTAMP(3);

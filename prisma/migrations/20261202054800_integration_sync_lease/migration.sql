-- AlterTable
ALTER TABLE "IntegrationSyncRun" ADD COLUMN     "heartbeatAt" TIMESTAMP(3);


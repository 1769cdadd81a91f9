-- AlterTable
ALTER TABLE "IntegrationConnection" ADD COLUMN     "lineEventsThrough" TIMESTAMP(3);


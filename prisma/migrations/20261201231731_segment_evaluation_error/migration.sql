-- AlterTable
ALTER TABLE "Segment" ADD COLUMN     "evaluationError" TEXT,
ADD COLUMN     "evaluationErrorAt" TIMESTAMP(3);

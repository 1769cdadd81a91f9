-- AlterTable
ALTER TABLE "LinkIntent" ADD COLUMN     "guestCheckout" BOOLEAN NOT NULL DEFAULT false;

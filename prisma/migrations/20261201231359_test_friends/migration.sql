-- AlterTable
ALTER TABLE "Friend" ADD COLUMN     "testFriend" BOOLEAN NOT NULL DEFAULT false;

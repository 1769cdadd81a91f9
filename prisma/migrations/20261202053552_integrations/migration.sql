-- AlterTable
ALTER TABLE "Customer" ADD COLUMN     "emailHash" TEXT,
ADD COLUMN     "phoneHash" TEXT;

-- CreateTable
CREATE TABLE "IntegrationConnection" (
    "id" SERIAL NOT NULL,
    "shopId" INTEGER NOT NULL,
    "provider" TEXT NOT NULL,
    "authType" TEXT NOT NULL,
    "credentialEnc" TEXT NOT NULL,
    "refreshTokenEnc" TEXT,
    "tokenExpiresAt" TIMESTAMP(3),
    "accountId" TEXT,
    "accountName" TEXT,
    "lineUserIdProperty" TEXT,
    "status" TEXT NOT NULL DEFAULT 'connected',
    "lastError" TEXT,
    "syncedThrough" TIMESTAMP(3),
    "connectedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "IntegrationConnection_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "IntegrationSyncRun" (
    "id" SERIAL NOT NULL,
    "shopId" INTEGER NOT NULL,
    "provider" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'running',
    "phase" TEXT NOT NULL DEFAULT 'properties',
    "cursor" TEXT,
    "listId" TEXT,
    "since" TIMESTAMP(3),
    "highWater" TIMESTAMP(3),
    "processed" INTEGER NOT NULL DEFAULT 0,
    "total" INTEGER,
    "rateLimited" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "IntegrationSyncRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "IntegrationContact" (
    "id" SERIAL NOT NULL,
    "shopId" INTEGER NOT NULL,
    "provider" TEXT NOT NULL,
    "externalId" TEXT NOT NULL,
    "email" TEXT,
    "phone" TEXT,
    "emailHash" TEXT,
    "phoneHash" TEXT,
    "lineUserId" TEXT,
    "properties" JSONB NOT NULL DEFAULT '{}',
    "customerId" INTEGER,
    "friendId" INTEGER,
    "externalUpdatedAt" TIMESTAMP(3),
    "syncedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "IntegrationContact_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "IntegrationList" (
    "id" SERIAL NOT NULL,
    "shopId" INTEGER NOT NULL,
    "provider" TEXT NOT NULL,
    "externalId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL DEFAULT 'list',
    "memberCount" INTEGER,
    "syncedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "IntegrationList_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "IntegrationListMember" (
    "shopId" INTEGER NOT NULL,
    "provider" TEXT NOT NULL,
    "listExternalId" TEXT NOT NULL,
    "contactExternalId" TEXT NOT NULL,
    "syncedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "IntegrationListMember_pkey" PRIMARY KEY ("shopId","provider","listExternalId","contactExternalId")
);

-- CreateTable
CREATE TABLE "IntegrationProperty" (
    "shopId" INTEGER NOT NULL,
    "provider" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "options" JSONB,
    "syncedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "IntegrationProperty_pkey" PRIMARY KEY ("shopId","provider","name")
);

-- CreateTable
CREATE TABLE "IntegrationWriteBack" (
    "id" SERIAL NOT NULL,
    "shopId" INTEGER NOT NULL,
    "provider" TEXT NOT NULL,
    "friendId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "idempotencyKey" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "doneAt" TIMESTAMP(3),

    CONSTRAINT "IntegrationWriteBack_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "IntegrationConnection_shopId_provider_key" ON "IntegrationConnection"("shopId", "provider");

-- CreateIndex
CREATE INDEX "IntegrationSyncRun_shopId_provider_startedAt_idx" ON "IntegrationSyncRun"("shopId", "provider", "startedAt");

-- CreateIndex
CREATE INDEX "IntegrationContact_shopId_provider_friendId_idx" ON "IntegrationContact"("shopId", "provider", "friendId");

-- CreateIndex
CREATE INDEX "IntegrationContact_shopId_emailHash_idx" ON "IntegrationContact"("shopId", "emailHash");

-- CreateIndex
CREATE INDEX "IntegrationContact_shopId_phoneHash_idx" ON "IntegrationContact"("shopId", "phoneHash");

-- CreateIndex
CREATE INDEX "IntegrationContact_shopId_lineUserId_idx" ON "IntegrationContact"("shopId", "lineUserId");

-- CreateIndex
CREATE UNIQUE INDEX "IntegrationContact_shopId_provider_externalId_key" ON "IntegrationContact"("shopId", "provider", "externalId");

-- CreateIndex
CREATE UNIQUE INDEX "IntegrationList_shopId_provider_externalId_key" ON "IntegrationList"("shopId", "provider", "externalId");

-- CreateIndex
CREATE INDEX "IntegrationListMember_shopId_provider_contactExternalId_idx" ON "IntegrationListMember"("shopId", "provider", "contactExternalId");

-- CreateIndex
CREATE INDEX "IntegrationWriteBack_status_createdAt_idx" ON "IntegrationWriteBack"("status", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "IntegrationWriteBack_shopId_provider_idempotencyKey_key" ON "IntegrationWriteBack"("shopId", "provider", "idempotencyKey");

-- CreateIndex
CREATE INDEX "Customer_shopId_emailHash_idx" ON "Customer"("shopId", "emailHash");

-- CreateIndex
CREATE INDEX "Customer_shopId_phoneHash_idx" ON "Customer"("shopId", "phoneHash");


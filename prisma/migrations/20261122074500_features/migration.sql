-- AlterTable
ALTER TABLE "Customer" ADD COLUMN     "birthMonth" INTEGER;

-- AlterTable
ALTER TABLE "Friend" ADD COLUMN     "importedAt" TIMESTAMP(3),
ADD COLUMN     "richMenuRuleId" INTEGER;

-- AlterTable
ALTER TABLE "LinkIntent" ADD COLUMN     "linkToken" TEXT,
ADD COLUMN     "loginState" TEXT;

-- AlterTable
ALTER TABLE "MessageSend" ADD COLUMN     "attempts" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "requestId" TEXT;

-- AlterTable
ALTER TABLE "Reminder" ADD COLUMN     "clickedAt" TIMESTAMP(3),
ADD COLUMN     "recoveredAt" TIMESTAMP(3),
ADD COLUMN     "recoveredOrderId" INTEGER,
ADD COLUMN     "recoveredRevenue" DECIMAL(14,2);

-- CreateTable
CREATE TABLE "RichMenu" (
    "id" SERIAL NOT NULL,
    "shopId" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "size" TEXT NOT NULL,
    "template" TEXT,
    "chatBarText" TEXT NOT NULL,
    "areas" JSONB NOT NULL,
    "imageKind" TEXT NOT NULL DEFAULT 'generated',
    "image" BYTEA,
    "imageContentType" TEXT,
    "style" JSONB NOT NULL DEFAULT '{}',
    "status" TEXT NOT NULL DEFAULT 'draft',
    "isDefault" BOOLEAN NOT NULL DEFAULT false,
    "lineRichMenuId" TEXT,
    "pendingLineRichMenuId" TEXT,
    "retiredLineRichMenuId" TEXT,
    "aliasId" TEXT,
    "publishedAt" TIMESTAMP(3),
    "editedSincePublish" BOOLEAN NOT NULL DEFAULT false,
    "supersededById" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RichMenu_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MenuRule" (
    "id" SERIAL NOT NULL,
    "shopId" INTEGER NOT NULL,
    "position" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "segmentId" INTEGER,
    "intent" JSONB,
    "richMenuId" INTEGER NOT NULL,
    "dwellHours" INTEGER NOT NULL DEFAULT 24,
    "urgent" BOOLEAN NOT NULL DEFAULT false,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "MenuRule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MenuApplyRun" (
    "id" SERIAL NOT NULL,
    "shopId" INTEGER NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "total" INTEGER NOT NULL DEFAULT 0,
    "done" INTEGER NOT NULL DEFAULT 0,
    "moved" INTEGER NOT NULL DEFAULT 0,
    "bulkCalls" INTEGER NOT NULL DEFAULT 0,
    "cursor" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "MenuApplyRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MenuCreationLog" (
    "id" SERIAL NOT NULL,
    "shopId" INTEGER NOT NULL,
    "lineRichMenuId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "MenuCreationLog_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DriftReport" (
    "id" SERIAL NOT NULL,
    "shopId" INTEGER NOT NULL,
    "sampled" INTEGER NOT NULL,
    "drifted" INTEGER NOT NULL,
    "repaired" INTEGER NOT NULL,
    "details" JSONB NOT NULL DEFAULT '[]',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DriftReport_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Fulfillment" (
    "id" SERIAL NOT NULL,
    "shopId" INTEGER NOT NULL,
    "shopifyFulfillmentId" BIGINT NOT NULL,
    "shopifyOrderId" BIGINT NOT NULL,
    "status" TEXT,
    "shipmentStatus" TEXT,
    "shopifyUpdatedAt" TIMESTAMP(3) NOT NULL,
    "deliveredAt" TIMESTAMP(3),

    CONSTRAINT "Fulfillment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DataRequestExport" (
    "id" SERIAL NOT NULL,
    "shopId" INTEGER NOT NULL,
    "deliveryId" INTEGER NOT NULL,
    "shopifyCustomerId" BIGINT NOT NULL,
    "dataRequestId" TEXT,
    "export" JSONB NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "downloadedAt" TIMESTAMP(3),

    CONSTRAINT "DataRequestExport_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TrackedLink" (
    "id" SERIAL NOT NULL,
    "shopId" INTEGER NOT NULL,
    "code" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "sourceType" TEXT NOT NULL,
    "sourceId" INTEGER,
    "area" TEXT,
    "tag" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TrackedLink_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LinkClick" (
    "id" SERIAL NOT NULL,
    "shopId" INTEGER NOT NULL,
    "linkId" INTEGER NOT NULL,
    "friendId" INTEGER,
    "sourceType" TEXT NOT NULL,
    "sourceId" INTEGER,
    "area" TEXT,
    "userAgent" TEXT,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LinkClick_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Broadcast" (
    "id" SERIAL NOT NULL,
    "shopId" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "messages" JSONB NOT NULL,
    "preparedMessages" JSONB,
    "audience" JSONB NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'draft',
    "scheduledAt" TIMESTAMP(3),
    "personalized" BOOLEAN NOT NULL DEFAULT false,
    "parentId" INTEGER,
    "variant" TEXT,
    "abConfig" JSONB,
    "overQuotaConfirmed" BOOLEAN NOT NULL DEFAULT false,
    "targeted" INTEGER NOT NULL DEFAULT 0,
    "sent" INTEGER NOT NULL DEFAULT 0,
    "failed" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "preparedAt" TIMESTAMP(3),
    "startedAt" TIMESTAMP(3),
    "finishedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Broadcast_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BroadcastBatch" (
    "id" SERIAL NOT NULL,
    "broadcastId" INTEGER NOT NULL,
    "shopId" INTEGER NOT NULL,
    "seq" INTEGER NOT NULL,
    "friendIds" INTEGER[],
    "retryKey" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "sentCount" INTEGER NOT NULL DEFAULT 0,
    "skipped" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "sentAt" TIMESTAMP(3),

    CONSTRAINT "BroadcastBatch_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ConsentEvent" (
    "id" SERIAL NOT NULL,
    "shopId" INTEGER NOT NULL,
    "friendId" INTEGER NOT NULL,
    "optedOut" BOOLEAN NOT NULL,
    "source" TEXT NOT NULL,
    "detail" TEXT,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ConsentEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Attribution" (
    "id" SERIAL NOT NULL,
    "shopId" INTEGER NOT NULL,
    "orderId" INTEGER NOT NULL,
    "clickId" INTEGER NOT NULL,
    "friendId" INTEGER,
    "sourceType" TEXT NOT NULL,
    "sourceId" INTEGER,
    "area" TEXT,
    "method" TEXT NOT NULL DEFAULT 'click',
    "revenue" DECIMAL(14,2) NOT NULL,
    "currency" TEXT NOT NULL,
    "orderAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Attribution_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AutomationSetting" (
    "id" SERIAL NOT NULL,
    "shopId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT false,
    "config" JSONB NOT NULL DEFAULT '{}',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AutomationSetting_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "MessagingPolicy" (
    "shopId" INTEGER NOT NULL,
    "quietStart" TEXT,
    "quietEnd" TEXT,
    "capMax" INTEGER,
    "capWindowDays" INTEGER,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "MessagingPolicy_pkey" PRIMARY KEY ("shopId")
);

-- CreateTable
CREATE TABLE "TagRule" (
    "id" SERIAL NOT NULL,
    "shopId" INTEGER NOT NULL,
    "trigger" TEXT NOT NULL,
    "match" TEXT,
    "action" TEXT NOT NULL DEFAULT 'add',
    "tagId" INTEGER NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TagRule_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LinkHistory" (
    "id" SERIAL NOT NULL,
    "shopId" INTEGER NOT NULL,
    "friendId" INTEGER NOT NULL,
    "shopifyCustomerId" BIGINT,
    "action" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LinkHistory_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ErasedCustomer" (
    "shopId" INTEGER NOT NULL,
    "shopifyCustomerId" BIGINT NOT NULL,
    "cause" TEXT NOT NULL,
    "erasedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ErasedCustomer_pkey" PRIMARY KEY ("shopId","shopifyCustomerId")
);

-- CreateIndex
CREATE INDEX "RichMenu_shopId_status_idx" ON "RichMenu"("shopId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "RichMenu_shopId_name_key" ON "RichMenu"("shopId", "name");

-- CreateIndex
CREATE INDEX "MenuRule_shopId_position_idx" ON "MenuRule"("shopId", "position");

-- CreateIndex
CREATE INDEX "MenuApplyRun_shopId_startedAt_idx" ON "MenuApplyRun"("shopId", "startedAt");

-- CreateIndex
CREATE INDEX "MenuCreationLog_shopId_createdAt_idx" ON "MenuCreationLog"("shopId", "createdAt");

-- CreateIndex
CREATE INDEX "DriftReport_shopId_createdAt_idx" ON "DriftReport"("shopId", "createdAt");

-- CreateIndex
CREATE INDEX "Fulfillment_shopId_shopifyOrderId_idx" ON "Fulfillment"("shopId", "shopifyOrderId");

-- CreateIndex
CREATE UNIQUE INDEX "Fulfillment_shopId_shopifyFulfillmentId_key" ON "Fulfillment"("shopId", "shopifyFulfillmentId");

-- CreateIndex
CREATE INDEX "DataRequestExport_shopId_createdAt_idx" ON "DataRequestExport"("shopId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "DataRequestExport_shopId_deliveryId_key" ON "DataRequestExport"("shopId", "deliveryId");

-- CreateIndex
CREATE UNIQUE INDEX "TrackedLink_code_key" ON "TrackedLink"("code");

-- CreateIndex
CREATE INDEX "TrackedLink_shopId_sourceType_sourceId_idx" ON "TrackedLink"("shopId", "sourceType", "sourceId");

-- CreateIndex
CREATE INDEX "LinkClick_shopId_friendId_at_idx" ON "LinkClick"("shopId", "friendId", "at");

-- CreateIndex
CREATE INDEX "LinkClick_linkId_idx" ON "LinkClick"("linkId");

-- CreateIndex
CREATE INDEX "LinkClick_shopId_sourceType_sourceId_idx" ON "LinkClick"("shopId", "sourceType", "sourceId");

-- CreateIndex
CREATE INDEX "Broadcast_shopId_createdAt_idx" ON "Broadcast"("shopId", "createdAt");

-- CreateIndex
CREATE INDEX "Broadcast_status_scheduledAt_idx" ON "Broadcast"("status", "scheduledAt");

-- CreateIndex
CREATE UNIQUE INDEX "BroadcastBatch_retryKey_key" ON "BroadcastBatch"("retryKey");

-- CreateIndex
CREATE INDEX "BroadcastBatch_broadcastId_status_idx" ON "BroadcastBatch"("broadcastId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "BroadcastBatch_broadcastId_seq_key" ON "BroadcastBatch"("broadcastId", "seq");

-- CreateIndex
CREATE INDEX "ConsentEvent_shopId_friendId_at_idx" ON "ConsentEvent"("shopId", "friendId", "at");

-- CreateIndex
CREATE UNIQUE INDEX "Attribution_orderId_key" ON "Attribution"("orderId");

-- CreateIndex
CREATE INDEX "Attribution_shopId_sourceType_sourceId_idx" ON "Attribution"("shopId", "sourceType", "sourceId");

-- CreateIndex
CREATE INDEX "Attribution_shopId_orderAt_idx" ON "Attribution"("shopId", "orderAt");

-- CreateIndex
CREATE UNIQUE INDEX "AutomationSetting_shopId_kind_key" ON "AutomationSetting"("shopId", "kind");

-- CreateIndex
CREATE INDEX "TagRule_shopId_trigger_idx" ON "TagRule"("shopId", "trigger");

-- CreateIndex
CREATE INDEX "TagRule_tagId_idx" ON "TagRule"("tagId");

-- CreateIndex
CREATE INDEX "LinkHistory_shopId_friendId_at_idx" ON "LinkHistory"("shopId", "friendId", "at");

-- CreateIndex
CREATE INDEX "LinkHistory_shopId_at_idx" ON "LinkHistory"("shopId", "at");

-- CreateIndex
CREATE INDEX "Friend_shopId_displayName_idx" ON "Friend"("shopId", "displayName");

-- CreateIndex
CREATE UNIQUE INDEX "LinkIntent_loginState_key" ON "LinkIntent"("loginState");


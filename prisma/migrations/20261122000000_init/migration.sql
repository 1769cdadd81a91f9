-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "Session" (
    "id" TEXT NOT NULL,
    "shop" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "isOnline" BOOLEAN NOT NULL DEFAULT false,
    "scope" TEXT,
    "expires" TIMESTAMP(3),
    "accessToken" TEXT NOT NULL,
    "userId" BIGINT,
    "firstName" TEXT,
    "lastName" TEXT,
    "email" TEXT,
    "accountOwner" BOOLEAN NOT NULL DEFAULT false,
    "locale" TEXT,
    "collaborator" BOOLEAN DEFAULT false,
    "emailVerified" BOOLEAN DEFAULT false,
    "refreshToken" TEXT,
    "refreshTokenExpires" TIMESTAMP(3),

    CONSTRAINT "Session_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Shop" (
    "id" SERIAL NOT NULL,
    "domain" TEXT NOT NULL,
    "name" TEXT,
    "currency" TEXT NOT NULL DEFAULT 'JPY',
    "timezone" TEXT NOT NULL DEFAULT 'Asia/Tokyo',
    "country" TEXT NOT NULL DEFAULT 'JP',
    "installedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "uninstalledAt" TIMESTAMP(3),
    "lineChannelId" TEXT,
    "lineChannelSecretEnc" TEXT,
    "lineChannelAccessTokenEnc" TEXT,
    "lineBotUserId" TEXT,
    "lineLoginChannelId" TEXT,
    "lineLoginChannelSecretEnc" TEXT,
    "lineConnectedAt" TIMESTAMP(3),
    "settings" JSONB NOT NULL DEFAULT '{}',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Shop_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Friend" (
    "id" SERIAL NOT NULL,
    "shopId" INTEGER NOT NULL,
    "lineUserId" TEXT NOT NULL,
    "displayName" TEXT,
    "pictureUrl" TEXT,
    "language" TEXT,
    "followedAt" TIMESTAMP(3),
    "following" BOOLEAN NOT NULL DEFAULT true,
    "blockedAt" TIMESTAMP(3),
    "customerId" INTEGER,
    "linkedAt" TIMESTAMP(3),
    "linkSource" TEXT,
    "marketingOptOut" BOOLEAN NOT NULL DEFAULT false,
    "marketingOptOutAt" TIMESTAMP(3),
    "richMenuId" INTEGER,
    "richMenuAssignedAt" TIMESTAMP(3),
    "lastActivityAt" TIMESTAMP(3),
    "profileFetchedAt" TIMESTAMP(3),
    "nextEvalAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Friend_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Customer" (
    "id" SERIAL NOT NULL,
    "shopId" INTEGER NOT NULL,
    "shopifyCustomerId" BIGINT NOT NULL,
    "tags" TEXT[],
    "emailMarketingState" TEXT,
    "smsMarketingState" TEXT,
    "locale" TEXT,
    "purchaseCount" INTEGER NOT NULL DEFAULT 0,
    "firstPurchaseAt" TIMESTAMP(3),
    "lastPurchaseAt" TIMESTAMP(3),
    "amountSpent" DECIMAL(14,2) NOT NULL DEFAULT 0,
    "firstPurchaseChannel" TEXT,
    "abandonedCheckoutAt" TIMESTAMP(3),
    "lastDeliveredAt" TIMESTAMP(3),
    "shopifyUpdatedAt" TIMESTAMP(3),
    "factsUpdatedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Customer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Order" (
    "id" SERIAL NOT NULL,
    "shopId" INTEGER NOT NULL,
    "shopifyOrderId" BIGINT NOT NULL,
    "shopifyCustomerId" BIGINT,
    "name" TEXT,
    "checkoutToken" TEXT,
    "processedAt" TIMESTAMP(3) NOT NULL,
    "shopifyUpdatedAt" TIMESTAMP(3) NOT NULL,
    "cancelledAt" TIMESTAMP(3),
    "test" BOOLEAN NOT NULL DEFAULT false,
    "totalPrice" DECIMAL(14,2) NOT NULL,
    "currency" TEXT NOT NULL,
    "sourceName" TEXT,
    "financialStatus" TEXT,
    "fulfillmentStatus" TEXT,
    "deliveredAt" TIMESTAMP(3),
    "orderStatusUrl" TEXT,

    CONSTRAINT "Order_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OrderLine" (
    "id" SERIAL NOT NULL,
    "orderId" INTEGER NOT NULL,
    "shopId" INTEGER NOT NULL,
    "shopifyCustomerId" BIGINT,
    "productId" BIGINT,
    "variantId" BIGINT,
    "title" TEXT NOT NULL,
    "quantity" INTEGER NOT NULL,
    "price" DECIMAL(14,2) NOT NULL,
    "purchasedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "OrderLine_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CustomerProduct" (
    "shopId" INTEGER NOT NULL,
    "shopifyCustomerId" BIGINT NOT NULL,
    "productId" BIGINT NOT NULL,
    "firstPurchasedAt" TIMESTAMP(3) NOT NULL,
    "lastPurchasedAt" TIMESTAMP(3) NOT NULL,
    "orderCount" INTEGER NOT NULL,
    "quantity" INTEGER NOT NULL,
    "rebuyIntervalDays" DOUBLE PRECISION,

    CONSTRAINT "CustomerProduct_pkey" PRIMARY KEY ("shopId","shopifyCustomerId","productId")
);

-- CreateTable
CREATE TABLE "ProductRebuy" (
    "shopId" INTEGER NOT NULL,
    "productId" BIGINT NOT NULL,
    "medianIntervalDays" DOUBLE PRECISION NOT NULL,
    "sampleSize" INTEGER NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ProductRebuy_pkey" PRIMARY KEY ("shopId","productId")
);

-- CreateTable
CREATE TABLE "Checkout" (
    "id" SERIAL NOT NULL,
    "shopId" INTEGER NOT NULL,
    "shopifyCheckoutId" BIGINT,
    "token" TEXT NOT NULL,
    "shopifyCustomerId" BIGINT,
    "recoveryUrl" TEXT,
    "totalPrice" DECIMAL(14,2) NOT NULL,
    "currency" TEXT NOT NULL,
    "lineItems" JSONB NOT NULL,
    "locale" TEXT,
    "shopifyCreatedAt" TIMESTAMP(3) NOT NULL,
    "shopifyUpdatedAt" TIMESTAMP(3) NOT NULL,
    "completedAt" TIMESTAMP(3),
    "abandonedAt" TIMESTAMP(3),

    CONSTRAINT "Checkout_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "WebhookDelivery" (
    "id" SERIAL NOT NULL,
    "shopDomain" TEXT NOT NULL,
    "webhookId" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "eventId" TEXT,
    "triggeredAt" TIMESTAMP(3),
    "apiVersion" TEXT,
    "payload" JSONB NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'received',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "error" TEXT,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "processedAt" TIMESTAMP(3),

    CONSTRAINT "WebhookDelivery_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LineEvent" (
    "id" SERIAL NOT NULL,
    "shopId" INTEGER NOT NULL,
    "webhookEventId" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "lineUserId" TEXT,
    "isRedelivery" BOOLEAN NOT NULL DEFAULT false,
    "payload" JSONB NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'received',
    "error" TEXT,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "processedAt" TIMESTAMP(3),

    CONSTRAINT "LineEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "BackfillRun" (
    "id" SERIAL NOT NULL,
    "shopId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "bulkOperationId" TEXT,
    "resultUrl" TEXT,
    "linesDone" INTEGER NOT NULL DEFAULT 0,
    "objectCount" INTEGER,
    "error" TEXT,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "BackfillRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LinkIntent" (
    "id" TEXT NOT NULL,
    "shopId" INTEGER NOT NULL,
    "shopifyCustomerId" BIGINT,
    "source" TEXT NOT NULL,
    "shopifyOrderId" BIGINT,
    "nonce" TEXT NOT NULL,
    "lineUserId" TEXT,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LinkIntent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LinkFunnelEvent" (
    "id" SERIAL NOT NULL,
    "shopId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "shopifyOrderId" BIGINT,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LinkFunnelEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RichMenuTap" (
    "id" SERIAL NOT NULL,
    "shopId" INTEGER NOT NULL,
    "friendId" INTEGER NOT NULL,
    "richMenuId" INTEGER,
    "area" TEXT,
    "data" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RichMenuTap_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Tag" (
    "id" SERIAL NOT NULL,
    "shopId" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "kind" TEXT NOT NULL DEFAULT 'other',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Tag_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FriendTag" (
    "friendId" INTEGER NOT NULL,
    "tagId" INTEGER NOT NULL,
    "shopId" INTEGER NOT NULL,
    "source" TEXT NOT NULL DEFAULT 'manual',
    "addedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "FriendTag_pkey" PRIMARY KEY ("friendId","tagId")
);

-- CreateTable
CREATE TABLE "SegmentFolder" (
    "id" SERIAL NOT NULL,
    "shopId" INTEGER NOT NULL,
    "name" TEXT NOT NULL,

    CONSTRAINT "SegmentFolder_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Segment" (
    "id" SERIAL NOT NULL,
    "shopId" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "folderId" INTEGER,
    "definition" JSONB NOT NULL,
    "memberCount" INTEGER,
    "countedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Segment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SegmentMembership" (
    "segmentId" INTEGER NOT NULL,
    "friendId" INTEGER NOT NULL,
    "shopId" INTEGER NOT NULL,
    "enteredAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SegmentMembership_pkey" PRIMARY KEY ("segmentId","friendId")
);

-- CreateTable
CREATE TABLE "MessageSend" (
    "id" SERIAL NOT NULL,
    "shopId" INTEGER NOT NULL,
    "friendId" INTEGER,
    "kind" TEXT NOT NULL,
    "sourceType" TEXT,
    "sourceId" INTEGER,
    "retryKey" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "error" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sentAt" TIMESTAMP(3),

    CONSTRAINT "MessageSend_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Reminder" (
    "id" SERIAL NOT NULL,
    "shopId" INTEGER NOT NULL,
    "friendId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "subjectKey" TEXT NOT NULL,
    "dueAt" TIMESTAMP(3) NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'scheduled',
    "reason" TEXT,
    "retryKey" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sentAt" TIMESTAMP(3),

    CONSTRAINT "Reminder_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Session_shop_idx" ON "Session"("shop");

-- CreateIndex
CREATE UNIQUE INDEX "Shop_domain_key" ON "Shop"("domain");

-- CreateIndex
CREATE INDEX "Friend_shopId_followedAt_idx" ON "Friend"("shopId", "followedAt");

-- CreateIndex
CREATE INDEX "Friend_shopId_createdAt_idx" ON "Friend"("shopId", "createdAt");

-- CreateIndex
CREATE INDEX "Friend_nextEvalAt_idx" ON "Friend"("nextEvalAt");

-- CreateIndex
CREATE UNIQUE INDEX "Friend_shopId_lineUserId_key" ON "Friend"("shopId", "lineUserId");

-- CreateIndex
CREATE UNIQUE INDEX "Friend_shopId_customerId_key" ON "Friend"("shopId", "customerId");

-- CreateIndex
CREATE INDEX "Customer_shopId_lastPurchaseAt_idx" ON "Customer"("shopId", "lastPurchaseAt");

-- CreateIndex
CREATE INDEX "Customer_shopId_purchaseCount_idx" ON "Customer"("shopId", "purchaseCount");

-- CreateIndex
CREATE INDEX "Customer_shopId_amountSpent_idx" ON "Customer"("shopId", "amountSpent");

-- CreateIndex
CREATE INDEX "Customer_shopId_abandonedCheckoutAt_idx" ON "Customer"("shopId", "abandonedCheckoutAt");

-- CreateIndex
CREATE INDEX "Customer_tags_idx" ON "Customer" USING GIN ("tags" array_ops);

-- CreateIndex
CREATE UNIQUE INDEX "Customer_shopId_shopifyCustomerId_key" ON "Customer"("shopId", "shopifyCustomerId");

-- CreateIndex
CREATE INDEX "Order_shopId_shopifyCustomerId_idx" ON "Order"("shopId", "shopifyCustomerId");

-- CreateIndex
CREATE INDEX "Order_shopId_checkoutToken_idx" ON "Order"("shopId", "checkoutToken");

-- CreateIndex
CREATE UNIQUE INDEX "Order_shopId_shopifyOrderId_key" ON "Order"("shopId", "shopifyOrderId");

-- CreateIndex
CREATE INDEX "OrderLine_orderId_idx" ON "OrderLine"("orderId");

-- CreateIndex
CREATE INDEX "OrderLine_shopId_productId_shopifyCustomerId_idx" ON "OrderLine"("shopId", "productId", "shopifyCustomerId");

-- CreateIndex
CREATE INDEX "OrderLine_shopId_shopifyCustomerId_idx" ON "OrderLine"("shopId", "shopifyCustomerId");

-- CreateIndex
CREATE INDEX "CustomerProduct_shopId_productId_lastPurchasedAt_idx" ON "CustomerProduct"("shopId", "productId", "lastPurchasedAt");

-- CreateIndex
CREATE INDEX "Checkout_shopId_shopifyCustomerId_idx" ON "Checkout"("shopId", "shopifyCustomerId");

-- CreateIndex
CREATE INDEX "Checkout_shopId_abandonedAt_idx" ON "Checkout"("shopId", "abandonedAt");

-- CreateIndex
CREATE UNIQUE INDEX "Checkout_shopId_token_key" ON "Checkout"("shopId", "token");

-- CreateIndex
CREATE INDEX "WebhookDelivery_status_receivedAt_idx" ON "WebhookDelivery"("status", "receivedAt");

-- CreateIndex
CREATE INDEX "WebhookDelivery_shopDomain_status_idx" ON "WebhookDelivery"("shopDomain", "status");

-- CreateIndex
CREATE UNIQUE INDEX "WebhookDelivery_shopDomain_webhookId_key" ON "WebhookDelivery"("shopDomain", "webhookId");

-- CreateIndex
CREATE INDEX "LineEvent_status_receivedAt_idx" ON "LineEvent"("status", "receivedAt");

-- CreateIndex
CREATE UNIQUE INDEX "LineEvent_shopId_webhookEventId_key" ON "LineEvent"("shopId", "webhookEventId");

-- CreateIndex
CREATE INDEX "BackfillRun_shopId_status_idx" ON "BackfillRun"("shopId", "status");

-- CreateIndex
CREATE UNIQUE INDEX "LinkIntent_nonce_key" ON "LinkIntent"("nonce");

-- CreateIndex
CREATE INDEX "LinkIntent_shopId_createdAt_idx" ON "LinkIntent"("shopId", "createdAt");

-- CreateIndex
CREATE INDEX "LinkFunnelEvent_shopId_at_idx" ON "LinkFunnelEvent"("shopId", "at");

-- CreateIndex
CREATE INDEX "RichMenuTap_shopId_friendId_at_idx" ON "RichMenuTap"("shopId", "friendId", "at");

-- CreateIndex
CREATE UNIQUE INDEX "Tag_shopId_name_key" ON "Tag"("shopId", "name");

-- CreateIndex
CREATE INDEX "FriendTag_tagId_friendId_idx" ON "FriendTag"("tagId", "friendId");

-- CreateIndex
CREATE UNIQUE INDEX "SegmentFolder_shopId_name_key" ON "SegmentFolder"("shopId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "Segment_shopId_name_key" ON "Segment"("shopId", "name");

-- CreateIndex
CREATE INDEX "SegmentMembership_friendId_idx" ON "SegmentMembership"("friendId");

-- CreateIndex
CREATE UNIQUE INDEX "MessageSend_retryKey_key" ON "MessageSend"("retryKey");

-- CreateIndex
CREATE INDEX "MessageSend_shopId_friendId_createdAt_idx" ON "MessageSend"("shopId", "friendId", "createdAt");

-- CreateIndex
CREATE INDEX "MessageSend_shopId_sourceType_sourceId_idx" ON "MessageSend"("shopId", "sourceType", "sourceId");

-- CreateIndex
CREATE UNIQUE INDEX "Reminder_retryKey_key" ON "Reminder"("retryKey");

-- CreateIndex
CREATE INDEX "Reminder_status_dueAt_idx" ON "Reminder"("status", "dueAt");

-- CreateIndex
CREATE UNIQUE INDEX "Reminder_shopId_kind_subjectKey_friendId_key" ON "Reminder"("shopId", "kind", "subjectKey", "friendId");

-- AddForeignKey
ALTER TABLE "OrderLine" ADD CONSTRAINT "OrderLine_orderId_fkey" FOREIGN KEY ("orderId") REFERENCES "Order"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FriendTag" ADD CONSTRAINT "FriendTag_tagId_fkey" FOREIGN KEY ("tagId") REFERENCES "Tag"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Segment" ADD CONSTRAINT "Segment_folderId_fkey" FOREIGN KEY ("folderId") REFERENCES "SegmentFolder"("id") ON DELETE SET NULL ON UPDATE CASCADE;


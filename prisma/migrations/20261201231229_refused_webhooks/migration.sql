-- CreateTable
CREATE TABLE "RefusedWebhook" (
    "id" SERIAL NOT NULL,
    "reason" TEXT NOT NULL,
    "routeTopic" TEXT NOT NULL,
    "headerTopic" TEXT NOT NULL,
    "headerShop" TEXT NOT NULL,
    "payloadShop" TEXT,
    "webhookId" TEXT NOT NULL,
    "hmac" TEXT NOT NULL,
    "count" INTEGER NOT NULL DEFAULT 1,
    "firstAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RefusedWebhook_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "RefusedWebhook_lastAt_idx" ON "RefusedWebhook"("lastAt");

-- CreateIndex
CREATE UNIQUE INDEX "RefusedWebhook_hmac_routeTopic_headerTopic_headerShop_key" ON "RefusedWebhook"("hmac", "routeTopic", "headerTopic", "headerShop");

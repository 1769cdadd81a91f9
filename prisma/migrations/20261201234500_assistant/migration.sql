-- CreateTable
CREATE TABLE "AssistantConversation" (
    "id" SERIAL NOT NULL,
    "shopId" INTEGER NOT NULL,
    "locale" TEXT NOT NULL,
    "mode" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open',
    "state" JSONB NOT NULL,
    "messages" JSONB NOT NULL DEFAULT '[]',
    "proposal" JSONB,
    "segmentId" INTEGER,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AssistantConversation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AssistantSetting" (
    "shopId" INTEGER NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT false,
    "baseUrl" TEXT NOT NULL,
    "model" TEXT NOT NULL,
    "apiKeyEnc" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AssistantSetting_pkey" PRIMARY KEY ("shopId")
);

-- CreateIndex
CREATE INDEX "AssistantConversation_shopId_updatedAt_idx" ON "AssistantConversation"("shopId", "updatedAt");

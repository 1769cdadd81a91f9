// Settings area "assistant" (the shop's AssistantSetting row): the optional language model of the
// segment assistant, any OpenAI-compatible endpoint. The API key is sealed like the LINE secrets
// (AES-256-GCM with the shop and purpose as associated data) and never returned to the browser.
import { z } from "zod";
import { db } from "~/db.server";
import { decryptSecret, encryptSecret } from "~/adapters/crypto.server";
import type { LlmEndpoint } from "~/adapters/llm/segment-llm.server";

export interface AssistantSettingsView {
  enabled: boolean;
  baseUrl: string;
  model: string;
  hasApiKey: boolean;
}

const KEY_PURPOSE = "assistant.apiKey";

export class AssistantSettingsError extends Error {
  constructor(
    message: string,
    public field: "baseUrl" | "model" | "apiKey",
  ) {
    super(message);
  }
}

/** What the merchant saves. `apiKey`: a new key, "" to remove it, undefined to keep the stored one. */
export const AssistantSettingsSchema = z.object({
  enabled: z.boolean(),
  baseUrl: z.string(),
  model: z.string(),
  apiKey: z.string().optional(),
});
export type AssistantSettingsInput = z.infer<typeof AssistantSettingsSchema>;

function isHttpUrl(v: string): boolean {
  try {
    return ["https:", "http:"].includes(new URL(v).protocol);
  } catch {
    return false;
  }
}

export const ASSISTANT_DEFAULTS: AssistantSettingsView = { enabled: false, baseUrl: "", model: "", hasApiKey: false };

export async function loadAssistantSettings(shopId: number): Promise<AssistantSettingsView> {
  const row = await db().assistantSetting.findUnique({ where: { shopId } });
  if (!row) return ASSISTANT_DEFAULTS;
  return { enabled: row.enabled, baseUrl: row.baseUrl, model: row.model, hasApiKey: Boolean(row.apiKeyEnc) };
}

/** Saves the endpoint; throws AssistantSettingsError for a bad URL or a missing model when enabled. */
export async function saveAssistantSettings(
  shop: { id: number; domain: string },
  input: AssistantSettingsInput,
): Promise<AssistantSettingsView> {
  const v = AssistantSettingsSchema.parse(input);
  const baseUrl = v.baseUrl.trim().replace(/\/+$/, "");
  const model = v.model.trim();
  if ((v.enabled || baseUrl) && !isHttpUrl(baseUrl))
    throw new AssistantSettingsError("Enter the endpoint's base URL, e.g. https://api.example.com/v1", "baseUrl");
  if (v.enabled && !model) throw new AssistantSettingsError("Enter the model name", "model");
  const key = v.apiKey?.trim();
  const apiKeyEnc = key === undefined ? undefined : key ? encryptSecret(key, { shop: shop.domain, purpose: KEY_PURPOSE }) : null;
  await db().assistantSetting.upsert({
    where: { shopId: shop.id },
    create: { shopId: shop.id, enabled: v.enabled, baseUrl, model, apiKeyEnc: apiKeyEnc ?? null },
    update: { enabled: v.enabled, baseUrl, model, ...(apiKeyEnc !== undefined ? { apiKeyEnc } : {}) },
  });
  return loadAssistantSettings(shop.id);
}

/** The endpoint to call, with the key decrypted; null when the shop has not enabled one. */
export async function assistantEndpoint(shop: { id: number; domain: string }): Promise<LlmEndpoint | null> {
  const row = await db().assistantSetting.findUnique({ where: { shopId: shop.id } });
  if (!row?.enabled || !row.baseUrl || !row.model) return null;
  return {
    baseUrl: row.baseUrl,
    model: row.model,
    apiKey: row.apiKeyEnc ? decryptSecret(row.apiKeyEnc, { shop: shop.domain, purpose: KEY_PURPOSE }) : undefined,
  };
}

/** Key rotation (services/secrets/reencrypt.server.ts): every sealed assistant key with its shop. */
export function sealedAssistantKeys(): Promise<Array<{ shopId: number; apiKeyEnc: string }>> {
  return db()
    .assistantSetting.findMany({ where: { apiKeyEnc: { not: null } }, select: { shopId: true, apiKeyEnc: true } })
    .then((rows) => rows.map((r) => ({ shopId: r.shopId, apiKeyEnc: r.apiKeyEnc! })));
}

/** Key rotation: replaces the sealed key only if it is still `from` (a save meanwhile wins). */
export async function resealAssistantKey(shopId: number, from: string, to: string): Promise<void> {
  await db().assistantSetting.updateMany({ where: { shopId, apiKeyEnc: from }, data: { apiKeyEnc: to } });
}

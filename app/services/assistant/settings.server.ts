// The shop's optional language model for the assistant (Settings → Segment assistant): any
// OpenAI-compatible endpoint. The API key is sealed like the LINE secrets (AES-256-GCM with the
// shop and purpose as associated data) and never returned to the browser.
import { db } from "~/db.server";
import { decryptSecret, encryptSecret } from "~/adapters/crypto.server";
import type { LlmEndpoint } from "~/adapters/llm/segment-llm.server";

export interface AssistantSettingsView {
  enabled: boolean;
  baseUrl: string;
  model: string;
  hasApiKey: boolean;
}

export class AssistantSettingsError extends Error {
  constructor(
    message: string,
    public field: "baseUrl" | "model" | "apiKey",
  ) {
    super(message);
  }
}

export async function assistantSettings(shopId: number): Promise<AssistantSettingsView> {
  const row = await db().assistantSetting.findUnique({ where: { shopId } });
  return { enabled: row?.enabled ?? false, baseUrl: row?.baseUrl ?? "", model: row?.model ?? "", hasApiKey: Boolean(row?.apiKeyEnc) };
}

/**
 * Save the endpoint. `apiKey`: a new key, "" to remove it, undefined to keep the stored one.
 * Throws AssistantSettingsError for a bad URL or a missing model when enabled.
 */
export async function saveAssistantSettings(
  shop: { id: number; domain: string },
  input: { enabled: boolean; baseUrl: string; model: string; apiKey?: string },
): Promise<AssistantSettingsView> {
  const baseUrl = input.baseUrl.trim().replace(/\/+$/, "");
  const model = input.model.trim();
  if (input.enabled || baseUrl) {
    let url: URL | null = null;
    try {
      url = new URL(baseUrl);
    } catch {
      url = null;
    }
    if (!url || (url.protocol !== "https:" && url.protocol !== "http:"))
      throw new AssistantSettingsError("Enter the endpoint's base URL, e.g. https://api.example.com/v1", "baseUrl");
  }
  if (input.enabled && !model) throw new AssistantSettingsError("Enter the model name", "model");
  const apiKeyEnc =
    input.apiKey === undefined
      ? undefined
      : input.apiKey.trim()
        ? encryptSecret(input.apiKey.trim(), { shop: shop.domain, purpose: "assistant.apiKey" })
        : null;
  await db().assistantSetting.upsert({
    where: { shopId: shop.id },
    create: { shopId: shop.id, enabled: input.enabled, baseUrl, model, apiKeyEnc: apiKeyEnc ?? null },
    update: { enabled: input.enabled, baseUrl, model, ...(apiKeyEnc !== undefined ? { apiKeyEnc } : {}) },
  });
  return assistantSettings(shop.id);
}

/** The endpoint to call, with the key decrypted; null when the shop has not enabled one. */
export async function assistantEndpoint(shop: { id: number; domain: string }): Promise<LlmEndpoint | null> {
  const row = await db().assistantSetting.findUnique({ where: { shopId: shop.id } });
  if (!row?.enabled || !row.baseUrl || !row.model) return null;
  return {
    baseUrl: row.baseUrl,
    model: row.model,
    apiKey: row.apiKeyEnc ? decryptSecret(row.apiKeyEnc, { shop: shop.domain, purpose: "assistant.apiKey" }) : undefined,
  };
}

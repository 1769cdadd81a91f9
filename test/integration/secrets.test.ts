// Issue 9 item 6: secrets at rest. Shopify session tokens encrypted through the real session storage,
// LINE credentials bound to their shop, key rotation with `secrets:reencrypt`, migration of plaintext
// and v1 values, and failures that tell the merchant what to do without crypto internals.
import crypto from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { Session } from "@shopify/shopify-api";
import { db } from "~/db.server";
import { resetEnv } from "~/config/env.server";
import { decryptSecret, encryptSecret, keyId, SecretDecryptError } from "~/adapters/crypto.server";
import { lineSecrets } from "~/db/shops.server";
import { shopify } from "~/shopify.server";
import { installDevShop, connectLineChannel } from "~/services/shops.server";
import { command as reencrypt } from "../../scripts/cli/commands/secrets";
import { uniqueShop } from "../support/shopify";
import { assistantEndpoint, saveAssistantSettings } from "~/db/settings/assistant.server";

const originalKey = process.env.ENCRYPTION_KEY!;
const newKey = crypto.randomBytes(32).toString("base64");

function useKeys(current: string, previous?: string) {
  process.env.ENCRYPTION_KEY = current;
  if (previous) process.env.ENCRYPTION_KEY_PREVIOUS = previous;
  else delete process.env.ENCRYPTION_KEY_PREVIOUS;
  resetEnv();
}

afterEach(() => useKeys(originalKey));

async function shopWithLine(accessToken = "shpat_real_offline_token") {
  const domain = uniqueShop("secrets");
  await installDevShop({ domain, accessToken });
  await connectLineChannel({ domain, channelId: "1650000000", channelSecret: "line-secret", channelAccessToken: "line-token" });
  return db().shop.findUniqueOrThrow({ where: { domain } });
}

/** The Shopify library's own storage with a fresh cache (what authenticate.* uses). */
const loadSession = (id: string) => {
  globalThis.__shopify = undefined;
  return shopify().sessionStorage.loadSession(id);
};

describe("Shopify session tokens at rest", () => {
  it("the offline access and refresh tokens are stored encrypted and load decrypted", async () => {
    const domain = uniqueShop("session");
    const session = new Session({
      id: `offline_${domain}`,
      shop: domain,
      state: "s",
      isOnline: false,
      accessToken: "shpat_secret_access",
      refreshToken: "shprt_secret_refresh",
      refreshTokenExpires: new Date(Date.now() + 86_400_000),
    });
    await shopify().sessionStorage.storeSession(session);
    const row = await db().session.findUniqueOrThrow({ where: { id: session.id } });
    expect(row.accessToken).toMatch(/^v2:[0-9a-f]{8}:/);
    expect(row.refreshToken).toMatch(/^v2:[0-9a-f]{8}:/);
    expect(JSON.stringify(row)).not.toMatch(/shpat_secret_access|shprt_secret_refresh/);
    const loaded = await loadSession(session.id);
    expect(loaded?.accessToken).toBe("shpat_secret_access");
    expect(loaded?.refreshToken).toBe("shprt_secret_refresh");
  });

  it("a session token under an unknown key loads as no session (fresh token exchange), not a crypto error", async () => {
    const domain = uniqueShop("session");
    await installDevShop({ domain, accessToken: "shpat_x" });
    useKeys(newKey);
    expect(await loadSession(`offline_${domain}`)).toBeUndefined();
  });

  it("a session copied to another shop's row does not decrypt there (bound to its shop)", async () => {
    const a = uniqueShop("session");
    const b = uniqueShop("session");
    await installDevShop({ domain: a, accessToken: "shpat_a" });
    await installDevShop({ domain: b, accessToken: "shpat_b" });
    const rowA = await db().session.findUniqueOrThrow({ where: { id: `offline_${a}` } });
    await db().session.update({ where: { id: `offline_${b}` }, data: { accessToken: rowA.accessToken } });
    expect(await loadSession(`offline_${b}`)).toBeUndefined();
    expect((await loadSession(`offline_${a}`))?.accessToken).toBe("shpat_a");
  });
});

describe("LINE credentials at rest", () => {
  it("one shop's ciphertext does not decrypt for another shop", async () => {
    const a = await shopWithLine();
    const b = await shopWithLine();
    const forged = await db().shop.update({ where: { id: b.id }, data: { lineChannelSecretEnc: a.lineChannelSecretEnc } });
    expect(() => lineSecrets(forged)).toThrow(SecretDecryptError);
    expect(lineSecrets(a)?.channelSecret).toBe("line-secret");
  });

  it("a wrong ENCRYPTION_KEY gives a clear error for the merchant, without crypto error text", async () => {
    const shop = await shopWithLine();
    useKeys(newKey);
    let message = "";
    try {
      lineSecrets(shop);
    } catch (err) {
      expect(err).toBeInstanceOf(SecretDecryptError);
      message = (err as Error).message;
    }
    expect(message).toMatch(/ENCRYPTION_KEY_PREVIOUS/);
    expect(message).not.toMatch(/unable to authenticate|Unsupported state|bad decrypt/i);
  });
});

describe("key rotation: secrets:reencrypt", () => {
  it("moves every secret to the current key; old plaintext sessions and v1 values are migrated; the previous key can then go", async () => {
    const shop = await shopWithLine("shpat_rotate");
    // A session stored before encryption existed, and a LINE secret in the old v1 format.
    const legacyDomain = uniqueShop("legacy");
    await db().session.create({
      data: { id: `offline_${legacyDomain}`, shop: legacyDomain, state: "s", accessToken: "shpat_plain_legacy" },
    });
    const key = Buffer.from(originalKey, "base64");
    const iv = crypto.randomBytes(12);
    const cipher = crypto.createCipheriv("aes-256-gcm", key, iv);
    const data = Buffer.concat([cipher.update("v1-login-secret", "utf8"), cipher.final()]);
    const v1 = ["v1", iv.toString("base64"), cipher.getAuthTag().toString("base64"), data.toString("base64")].join(":");
    await db().shop.update({ where: { id: shop.id }, data: { lineLoginChannelId: "1650000001", lineLoginChannelSecretEnc: v1 } });
    await saveAssistantSettings(shop, { enabled: true, baseUrl: "http://127.0.0.1:9/v1", model: "m", apiKey: "sk-rotate" });
    const hubspotCtx = { shop: shop.domain, purpose: "integration.hubspot.credential" } as const;
    const connection = await db().integrationConnection.create({
      data: { shopId: shop.id, provider: "hubspot", authType: "private_app", credentialEnc: encryptSecret("pat-na1-rotate", hubspotCtx) },
    });

    useKeys(newKey, originalKey);
    // Before re-encryption the previous key still opens everything.
    expect(lineSecrets(await db().shop.findUniqueOrThrow({ where: { id: shop.id } }))?.loginChannelSecret).toBe("v1-login-secret");

    const report = (await reencrypt.run({})) as { keyId: string; rewritten: Record<string, number>; unreadable: Array<{ id: string }> };
    const newId = keyId(Buffer.from(newKey, "base64"));
    expect(report.keyId).toBe(newId);
    // (Rows the earlier tests corrupted on purpose are reported; this test's rows are not among them.)
    expect(report.unreadable.filter((u) => u.id === String(shop.id) || u.id.includes(shop.domain) || u.id.includes(legacyDomain))).toEqual(
      [],
    );
    expect(report.rewritten["Shop.lineLoginChannelSecretEnc"]).toBeGreaterThanOrEqual(1);
    expect(report.rewritten["Session.accessToken"]).toBeGreaterThanOrEqual(2);
    expect(report.rewritten["AssistantSetting.apiKeyEnc"]).toBeGreaterThanOrEqual(1);
    expect(report.rewritten["IntegrationConnection.credentialEnc"]).toBeGreaterThanOrEqual(1);

    const after = await db().shop.findUniqueOrThrow({ where: { id: shop.id } });
    for (const v of [after.lineChannelSecretEnc, after.lineChannelAccessTokenEnc, after.lineLoginChannelSecretEnc])
      expect(v!.startsWith(`v2:${newId}:`)).toBe(true);
    const legacy = await db().session.findUniqueOrThrow({ where: { id: `offline_${legacyDomain}` } });
    expect(legacy.accessToken.startsWith(`v2:${newId}:`)).toBe(true);

    // Idempotent, and the previous key is no longer needed.
    expect(((await reencrypt.run({})) as { rewritten: Record<string, number> }).rewritten).toEqual({});
    useKeys(newKey);
    expect(lineSecrets(after)).toMatchObject({
      channelSecret: "line-secret",
      channelAccessToken: "line-token",
      loginChannelSecret: "v1-login-secret",
    });
    expect((await loadSession(`offline_${shop.domain}`))?.accessToken).toBe("shpat_rotate");
    expect((await loadSession(`offline_${legacyDomain}`))?.accessToken).toBe("shpat_plain_legacy");
    expect((await assistantEndpoint(shop))?.apiKey).toBe("sk-rotate");
    const moved = await db().integrationConnection.findUniqueOrThrow({ where: { id: connection.id } });
    expect(decryptSecret(moved.credentialEnc, hubspotCtx)).toBe("pat-na1-rotate");
  });

  it("reports values no configured key opens, by row and column only", async () => {
    const shop = await shopWithLine();
    useKeys(newKey);
    const report = (await reencrypt.run({})) as { unreadable: Array<{ table: string; id: string; column: string }> };
    expect(report.unreadable).toContainEqual({ table: "Shop", id: String(shop.id), column: "lineChannelSecretEnc" });
    expect(report.unreadable).toContainEqual({ table: "Session", id: `offline_${shop.domain}`, column: "accessToken" });
    expect(JSON.stringify(report)).not.toContain("line-secret");
    process.exitCode = 0;
  });
});

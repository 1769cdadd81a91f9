// The foundation CLI commands through the same command objects `npm run cli` loads.
import { describe, expect, it } from "vitest";
import { command as shopInstall } from "../../scripts/cli/commands/shop";
import { command as lineConnect } from "../../scripts/cli/commands/line";
import { command as jobsWait } from "../../scripts/cli/commands/jobs";
import { db } from "~/db.server";
import { decryptSecret } from "~/adapters/crypto.server";
import { uniqueShop } from "../support/shopify";

describe("CLI: shop:install, line:connect, jobs:wait", () => {
  it("installs a shop with an offline session and connects a LINE channel with encrypted secrets", async () => {
    const shop = uniqueShop();
    const installed = (await shopInstall.run({ shop })) as { shop: string; sessionId: string };
    expect(installed).toMatchObject({ shop, sessionId: `offline_${shop}` });
    expect(await db().session.findUnique({ where: { id: `offline_${shop}` } })).not.toBeNull();

    const out = (await lineConnect.run({
      shop,
      "channel-id": "1234567890",
      "channel-secret": "s3cret",
      "channel-access-token": "tok3n",
    })) as Record<string, unknown>;
    expect(out.webhookUrl).toBe(`https://my-test-app.myshopify.io/webhooks/line/${shop}`);
    expect(out.channelId).toBe("1234567890");
    const row = await db().shop.findUniqueOrThrow({ where: { domain: shop } });
    expect(row.lineChannelSecretEnc).not.toContain("s3cret");
    expect(decryptSecret(row.lineChannelSecretEnc!, { shop, purpose: "line.channelSecret" })).toBe("s3cret");
    expect(decryptSecret(row.lineChannelAccessTokenEnc!, { shop, purpose: "line.channelAccessToken" })).toBe("tok3n");
  });

  it("refuses a malformed shop domain and an unknown shop", async () => {
    await expect(shopInstall.run({ shop: "not a shop" })).rejects.toThrow(/Invalid shop domain/);
    await expect(
      lineConnect.run({ shop: uniqueShop(), "channel-id": "1", "channel-secret": "s", "channel-access-token": "t" }),
    ).rejects.toThrow(/not installed/);
  });

  it("jobs:wait reports idle queues", async () => {
    const out = (await jobsWait.run({ timeout: "5" })) as { idle: boolean; queues: Record<string, unknown> };
    expect(out.idle).toBe(true);
    expect(Object.keys(out.queues).sort()).toEqual(["inbound", "line-outbound", "scheduled"]);
  });
});

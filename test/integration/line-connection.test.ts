// Settings → LINE channel: a working access token is never replaced by one LINE refuses, and
// "Test connection" asks LINE (the emulator, through the real SDK) whether the stored token works.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { lineSecrets } from "~/db/shops.server";
import { connectLineChannel, testLineConnection } from "~/services/shops.server";
import { connectedShop, startLineTestEnv, type LineTestEnv } from "./line-support";

let env: LineTestEnv;
beforeAll(async () => {
  env = await startLineTestEnv();
});
afterAll(async () => {
  await env?.close();
});

describe("LINE channel connection", () => {
  it("keeps the working token when LINE refuses the new one, and says so", async () => {
    const { domain, ch } = await connectedShop(env);
    expect(await testLineConnection(domain)).toMatchObject({ ok: true });

    const r = await connectLineChannel({
      domain,
      channelId: ch.channelId,
      channelSecret: "x".repeat(32),
      channelAccessToken: "not-a-real-token",
    });
    expect(r).toMatchObject({ saved: false, verified: false });
    const shop = await db().shop.findUniqueOrThrow({ where: { domain } });
    expect(lineSecrets(shop)).toMatchObject({ channelAccessToken: ch.channelAccessToken, channelSecret: ch.channelSecret });
    expect(await testLineConnection(domain)).toMatchObject({ ok: true });
  });

  it("reports a refused or missing token in plain terms", async () => {
    const { domain, ch } = await connectedShop(env);
    // The token is reissued in LINE Developers Console: the stored one stops working.
    env.emu.state.updateChannel(ch.channelId, { channelAccessToken: `reissued-${ch.channelAccessToken}` });
    expect(await testLineConnection(domain)).toMatchObject({ ok: false, reason: "rejected", status: 401 });
    expect(await testLineConnection("no-such-shop.myshopify.com")).toEqual({ ok: false, reason: "not_connected" });
  });
});

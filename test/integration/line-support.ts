// Shared by the LINE/linking integration tests: the emulator, a tiny node:http bridge so the emulator
// can POST signed webhooks to the real route, and a shop connected to an emulated channel.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { startLineEmulator, LineEmulatorClient, type LineEmulator } from "../../emulator/index";
import { resetEnv } from "~/config/env.server";
import { db } from "~/db.server";
import { installDevShop, connectLineChannel } from "~/services/shops.server";
import { action as lineWebhook } from "~/routes/webhooks.line.$shop";
import { uniqueShop } from "../support/shopify";

export interface LineTestEnv {
  emu: LineEmulator;
  ctl: LineEmulatorClient;
  bridgeUrl: string;
  close(): Promise<void>;
}

export async function startLineTestEnv(): Promise<LineTestEnv> {
  const emu = await startLineEmulator({ port: 0 });
  process.env.LINE_API_BASE_URL = emu.apiBaseUrl;
  process.env.LINE_API_DATA_BASE_URL = emu.dataBaseUrl;
  process.env.LINE_LOGIN_BASE_URL = emu.url;
  resetEnv();
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const m = url.pathname.match(/^\/webhooks\/line\/([^/]+)$/);
    if (!m) return void res.writeHead(404).end();
    const request = new Request(url, { method: req.method, headers: req.headers as Record<string, string>, body: Buffer.concat(chunks) });
    const response = await lineWebhook({ request, params: { shop: m[1] }, context: {} });
    res.writeHead(response.status, Object.fromEntries(response.headers)).end(await response.text());
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const bridgeUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    emu,
    ctl: new LineEmulatorClient(emu.url),
    bridgeUrl,
    async close() {
      await new Promise((r) => server.close(r));
      await emu.close();
    },
  };
}

export async function connectedShop(env: LineTestEnv, opts: { login?: boolean; country?: string } = {}) {
  const domain = uniqueShop("line");
  // Customer-facing default texts follow the shop's language: US → English (tests assert English unless they choose).
  await installDevShop({ domain, country: opts.country ?? "US" });
  const loginChannelId = opts.login ? String(2_000_000_000 + Math.floor(Math.random() * 99_999_999)) : undefined;
  const ch = env.emu.state.createChannel({ webhookUrl: `${env.bridgeUrl}/webhooks/line/${domain}`, loginChannelId });
  await connectLineChannel({
    domain,
    channelId: ch.channelId,
    channelSecret: ch.channelSecret,
    channelAccessToken: ch.channelAccessToken,
    loginChannelId: ch.loginChannelId,
    loginChannelSecret: ch.loginChannelSecret,
  });
  const shop = await db().shop.findUniqueOrThrow({ where: { domain } });
  return { domain, shop, ch };
}

export async function until<T>(fn: () => Promise<T | null | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 50));
  }
}

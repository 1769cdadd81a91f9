// The setup LINE integration tests share: the LINE emulator for the test file (the app pointed at it
// through the real @line/bot-sdk), an optional in-process worker, and shops connected to an emulated
// channel. Linking tests that need signed webhooks to the real route use
// test/integration/line-support.ts instead.
import { afterAll, beforeAll } from "vitest";
import { startLineEmulator, LineEmulatorClient, type LineEmulator } from "../../emulator/index";
import type { CreateChannelInput } from "../../emulator/state";
import { resetEnv } from "~/config/env.server";
import { db } from "~/db.server";
import { startWorker } from "~/jobs/worker";
import { installDevShop, connectLineChannel } from "~/services/shops.server";
import { uniqueShop } from "./shopify";

export interface LineHarness {
  readonly emu: LineEmulator;
  readonly ctl: LineEmulatorClient;
  /** Stops the in-process worker gracefully (active jobs finish), as a deploy or crash would. */
  stopWorker(): Promise<void>;
  /** Starts the in-process worker again (same concurrency). */
  startWorker(): Promise<void>;
}

/**
 * Registers beforeAll/afterAll for this test file: starts the emulator, sets LINE_API_BASE_URL,
 * LINE_API_DATA_BASE_URL and LINE_LOGIN_BASE_URL to it (resetEnv), and with `worker` starts an
 * in-process worker without sweeps. The returned fields are set once beforeAll has run.
 */
export function setupLineEmulator(opts: { worker?: { concurrency: number }; validateResponses?: boolean } = {}): LineHarness {
  let worker: Awaited<ReturnType<typeof startWorker>> | undefined;
  const concurrency = opts.worker?.concurrency ?? 1;
  const h = {
    async stopWorker() {
      await worker?.stop();
      worker = undefined;
    },
    async startWorker() {
      worker = await startWorker({ concurrency, sweeps: false });
    },
  } as LineHarness & { emu: LineEmulator; ctl: LineEmulatorClient };
  beforeAll(async () => {
    h.emu = await startLineEmulator({ port: 0, validateResponses: opts.validateResponses });
    process.env.LINE_API_BASE_URL = h.emu.apiBaseUrl;
    process.env.LINE_API_DATA_BASE_URL = h.emu.dataBaseUrl;
    process.env.LINE_LOGIN_BASE_URL = h.emu.url;
    resetEnv();
    h.ctl = new LineEmulatorClient(h.emu.url);
    if (opts.worker) await h.startWorker();
  }, 60_000);
  afterAll(async () => {
    await h.stopWorker();
    await h.emu?.close();
  });
  return h;
}

/** A dev shop (uniqueShop) connected to a new emulated LINE channel. */
export async function shopWithLineChannel(line: LineHarness, opts: { country?: string; channel?: CreateChannelInput } = {}) {
  const domain = uniqueShop();
  await installDevShop({ domain, ...(opts.country ? { country: opts.country } : {}) });
  const ch = line.emu.state.createChannel(opts.channel ?? {});
  await connectLineChannel({ domain, channelId: ch.channelId, channelSecret: ch.channelSecret, channelAccessToken: ch.channelAccessToken });
  const shop = await db().shop.findUniqueOrThrow({ where: { domain } });
  return { domain, shop, ch };
}

/** `count` emulated users who are friends of the channel, each with a Friend row ("Friend 0", …), oldest id first. */
export async function channelFriends(line: LineHarness, shopId: number, channelId: string, count: number) {
  const { userIds } = await line.ctl.createUsers(
    Array.from({ length: count }, (_, i) => ({ displayName: `Friend ${i}`, friendOf: [channelId] })),
  );
  await db().friend.createMany({ data: userIds.map((lineUserId, i) => ({ shopId, lineUserId, displayName: `Friend ${i}` })) });
  return db().friend.findMany({ where: { shopId }, orderBy: { id: "asc" } });
}

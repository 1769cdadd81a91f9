/** Shared helpers for emulator tests (not a test file itself). */
import http from "node:http";
import type { AddressInfo } from "node:net";
import sharp from "sharp";
import { messagingApi } from "@line/bot-sdk";
import { startLineEmulator, type LineEmulator, type LineEmulatorOptions } from "./server.js";
import type { Channel } from "./state.js";

export interface Harness {
  emu: LineEmulator;
  channel: Channel;
  client: messagingApi.MessagingApiClient;
  blob: messagingApi.MessagingApiBlobClient;
  friends: string[];
}

export async function setup(opts: LineEmulatorOptions = {}, friendCount = 3): Promise<Harness> {
  const emu = await startLineEmulator({
    host: "127.0.0.1",
    port: 0,
    validateResponses: true,
    ...opts,
  });
  const channel = emu.state.createChannel({ loginChannelId: "2000000001" });
  const friends: string[] = [];
  for (let i = 0; i < friendCount; i++)
    friends.push(
      emu.state.createUser({
        displayName: `Friend ${i}`,
        friendOf: [channel.channelId],
      }).userId,
    );
  const client = new messagingApi.MessagingApiClient({
    channelAccessToken: channel.channelAccessToken,
    baseURL: emu.apiBaseUrl,
  });
  const blob = new messagingApi.MessagingApiBlobClient({
    channelAccessToken: channel.channelAccessToken,
    baseURL: emu.dataBaseUrl,
  });
  return { emu, channel, client, blob, friends };
}

export async function makeImage(width: number, height: number, format: "png" | "jpeg" | "gif" = "png"): Promise<Buffer> {
  const img = sharp({
    create: {
      width,
      height,
      channels: 3,
      background: { r: 20, g: 180, b: 90 },
    },
  });
  if (format === "png") return img.png().toBuffer();
  if (format === "jpeg") return img.jpeg().toBuffer();
  return img.gif().toBuffer();
}

/** A PNG larger than 1 MB (random noise does not compress). */
export async function makeHugePng(width = 2500, height = 1686): Promise<Buffer> {
  const raw = Buffer.alloc(width * height * 3);
  for (let i = 0; i < raw.length; i++) raw[i] = (Math.random() * 256) | 0;
  return sharp(raw, { raw: { width, height, channels: 3 } })
    .png({ compressionLevel: 0 })
    .toBuffer();
}

export const richMenuBody = (over: Record<string, unknown> = {}): messagingApi.RichMenuRequest =>
  ({
    size: { width: 2500, height: 1686 },
    selected: false,
    name: "test menu",
    chatBarText: "Menu",
    areas: [
      {
        bounds: { x: 0, y: 0, width: 1250, height: 1686 },
        action: { type: "uri", label: "Shop", uri: "https://example.com/shop" },
      },
      {
        bounds: { x: 1250, y: 0, width: 1250, height: 1686 },
        action: { type: "postback", label: "Points", data: "action=points" },
      },
    ],
    ...over,
  }) as messagingApi.RichMenuRequest;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- test assertions poke into arbitrary error bodies
export async function errorOf(p: Promise<unknown>): Promise<{ status: number; body: any; headers: Headers }> {
  try {
    await p;
  } catch (e) {
    const err = e as { status?: number; body?: string; headers?: Headers };
    if (typeof err.status === "number") {
      let body: unknown = err.body;
      try {
        body = JSON.parse(err.body ?? "");
      } catch {
        /* keep text */
      }
      return {
        status: err.status,
        body,
        headers: err.headers ?? new Headers(),
      };
    }
    throw e;
  }
  throw new Error("expected the request to fail");
}

export interface Receiver {
  url: string;
  received: Array<{ headers: http.IncomingHttpHeaders; body: string }>;
  status: number;
  close(): Promise<void>;
}

/** Tiny local webhook receiver on 127.0.0.1:0. */
export async function startReceiver(): Promise<Receiver> {
  const received: Receiver["received"] = [];
  const r = { status: 200 } as Receiver;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
      });
      res.writeHead(r.status, { "content-type": "text/plain" });
      res.end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  r.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook`;
  r.received = received;
  r.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return r;
}

/** Request-log entries whose 2xx response did not match the spec's response schema (should be empty). */
export function responseProblems(emu: LineEmulator) {
  return [...emu.state.channels.values()].flatMap((cs) =>
    cs.requests.filter((r) => r.responseErrors?.length).map((r) => ({ op: r.operationId, errors: r.responseErrors })),
  );
}

/** Buffer → Blob (typed for TS's DOM lib). */
export const toBlob = (buf: Buffer, type: string): Blob => new Blob([new Uint8Array(buf)], { type });

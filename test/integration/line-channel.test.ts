// The LINE channel adapter against the LINE emulator through the real @line/bot-sdk: every outcome of
// the one classification (sent, duplicate, rate-limited, quota-exceeded, invalid, unauthorized,
// transient) comes out of a real HTTP answer, for sends (returned) and for other calls (thrown).
import crypto from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { setupLineEmulator } from "../support/line";
import { lineChannel, LineError } from "~/adapters/line/client.server";
import { LineRichMenuApi } from "~/adapters/line/rich-menus.server";

const lineEmu = setupLineEmulator({ validateResponses: true });
afterEach(async () => {
  await lineEmu.ctl.clearFaults();
  await lineEmu.ctl.setRateLimits({ pushMessage: null });
});

function channel(opts: { quota?: { type: "limited" | "none"; value?: number } } = {}) {
  const ch = lineEmu.emu.state.createChannel(opts.quota ? { quota: opts.quota } : {});
  const user = lineEmu.emu.state.createUser({ displayName: "Taro", friendOf: [ch.channelId] });
  return { ch, user, line: lineChannel(ch.channelAccessToken) };
}
const text = (t: string) => [{ type: "text", text: t }];
const delivered = async (channelId: string) => (await lineEmu.ctl.getMessages(channelId)).messages;

describe("sends answer their outcome", () => {
  it("sent, then duplicate for the same retry key (delivered once)", async () => {
    const { ch, user, line } = channel();
    const retryKey = crypto.randomUUID();
    const first = await line.push({ to: user.userId, messages: text("hi"), retryKey });
    expect(first).toMatchObject({ kind: "sent", requestId: expect.any(String) });
    expect(await line.push({ to: user.userId, messages: text("hi"), retryKey })).toMatchObject({ kind: "duplicate", status: 409 });
    expect(await line.multicast({ to: [user.userId], messages: text("all"), retryKey: crypto.randomUUID() })).toMatchObject({
      kind: "sent",
    });
    expect((await delivered(ch.channelId)).map((m) => m.retryKey)).toEqual([retryKey, expect.any(String)]);
  });

  it("rate-limited by the channel's per-endpoint limit", async () => {
    const { user, line } = channel();
    await lineEmu.ctl.setRateLimits({ pushMessage: { max: 1, windowMs: 60_000 } });
    expect(await line.push({ to: user.userId, messages: text("1"), retryKey: crypto.randomUUID() })).toMatchObject({ kind: "sent" });
    expect(await line.push({ to: user.userId, messages: text("2"), retryKey: crypto.randomUUID() })).toMatchObject({
      kind: "rate-limited",
      status: 429,
    });
  });

  it("quota-exceeded when the monthly limit is reached (also 429, told apart by LINE's message)", async () => {
    const { ch, user, line } = channel({ quota: { type: "limited", value: 0 } });
    expect(await line.push({ to: user.userId, messages: text("x"), retryKey: crypto.randomUUID() })).toMatchObject({
      kind: "quota-exceeded",
      status: 429,
    });
    expect(await delivered(ch.channelId)).toEqual([]);
  });

  it("a reply with a reply token LINE never issued → invalid", async () => {
    const { line } = channel();
    expect(await line.reply({ replyToken: "unknown-token", messages: text("x") })).toMatchObject({ kind: "invalid", status: 400 });
  });

  it("invalid with LINE's details for a message LINE refuses; validate() answers the same without sending", async () => {
    const { ch, user, line } = channel();
    const bad = [{ type: "text", text: "" }];
    const sent = await line.push({ to: user.userId, messages: bad, retryKey: crypto.randomUUID() });
    expect(sent).toMatchObject({ kind: "invalid", status: 400 });
    const checked = await line.validate("multicast", bad);
    expect(checked).toMatchObject({
      kind: "invalid",
      details: [expect.objectContaining({ property: expect.stringContaining("messages[0]") })],
    });
    expect(await line.validate("push", text("fine"))).toMatchObject({ kind: "sent" });
    expect(await delivered(ch.channelId)).toEqual([]);
  });

  it("unauthorized for a token LINE does not know (401) and for a call the plan does not allow (403)", async () => {
    const { user } = channel();
    expect(await lineChannel("not-a-token").push({ to: user.userId, messages: text("x"), retryKey: crypto.randomUUID() })).toMatchObject({
      kind: "unauthorized",
      status: 401,
    });
    const { user: u2, line } = channel();
    await lineEmu.ctl.addFault({
      operationId: "multicast",
      status: 403,
      body: { message: "Access to this API is not available for your account" },
      count: 1,
    });
    expect(await line.multicast({ to: [u2.userId], messages: text("x"), retryKey: crypto.randomUUID() })).toMatchObject({
      kind: "unauthorized",
      status: 403,
    });
  });

  it("transient for a 5xx and for no answer at all; the same retry key then delivers once", async () => {
    const { ch, user, line } = channel();
    const retryKey = crypto.randomUUID();
    await lineEmu.ctl.addFault({ operationId: "pushMessage", status: 503, count: 1 });
    expect(await line.push({ to: user.userId, messages: text("x"), retryKey })).toMatchObject({ kind: "transient", status: 503 });
    await lineEmu.ctl.addFault({ operationId: "pushMessage", drop: true, count: 1 });
    const dropped = await line.push({ to: user.userId, messages: text("x"), retryKey });
    expect(dropped.kind).toBe("transient");
    expect(dropped).not.toHaveProperty("status");
    expect(await line.push({ to: user.userId, messages: text("x"), retryKey })).toMatchObject({ kind: "sent" });
    expect(await delivered(ch.channelId)).toHaveLength(1);
  });
});

describe("other calls throw a LineError with the outcome", () => {
  it("profile of a user who is not a friend → invalid (404); bot info with a bad token → unauthorized", async () => {
    const { ch, line } = channel();
    const stranger = lineEmu.emu.state.createUser({ displayName: "Jiro" });
    expect(await line.profile(lineEmu.emu.state.createUser({ displayName: "Hanako", friendOf: [ch.channelId] }).userId)).toMatchObject({
      displayName: "Hanako",
    });
    await expect(line.profile(stranger.userId)).rejects.toMatchObject({ failure: { kind: "invalid", status: 404 } });
    const err = await lineChannel("not-a-token")
      .botInfo()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LineError);
    expect((err as LineError).failure).toMatchObject({ kind: "unauthorized", status: 401 });
  });

  it("rich-menu calls: transient on a 5xx, a missing per-user menu is null, not an error", async () => {
    const { ch, user } = channel();
    const api = new LineRichMenuApi(ch.channelId, ch.channelAccessToken);
    expect(await api.userMenu(user.userId)).toBeNull();
    await lineEmu.ctl.addFault({ operationId: "unlinkRichMenuIdFromUser", status: 500, count: 1 });
    await expect(api.unlink(user.userId)).rejects.toMatchObject({ failure: { kind: "transient", status: 500 } });
  });
});

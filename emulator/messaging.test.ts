import crypto from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { HTTPFetchError } from "@line/bot-sdk";
import { responseProblems, errorOf, setup, type Harness } from "./test-helpers.js";

let h: Harness;
beforeEach(async () => {
  h = await setup({ rateLimits: { getBotInfo: { max: 3, windowMs: 60_000 } } }, 3);
}, 30_000);
afterEach(async () => {
  expect(responseProblems(h.emu)).toEqual([]);
  await h?.emu.close();
});

const text = (t: string) => ({ type: "text" as const, text: t });
const cs = () => h.emu.state.mustChannel(h.channel.channelId);

describe("OpenAPI + hand-written validation", () => {
  it("rejects multicast with 501 recipients and wrong types with LINE-style details", async () => {
    const to = Array.from({ length: 501 }, () => "U" + crypto.randomBytes(16).toString("hex"));
    let e = await errorOf(h.client.multicast({ to, messages: [text("hi")] }));
    expect(e.status).toBe(400);
    expect(e.body.message).toBe("The request body has 1 error(s)");
    expect(e.body.details).toEqual([{ message: "must NOT have more than 500 items", property: "to" }]);

    e = await errorOf(
      h.client.pushMessage({
        to: 42 as unknown as string,
        messages: [{ type: "text", text: 5 } as never],
      }),
    );
    expect(e.status).toBe(400);
    const props = e.body.details.map((d: { property: string }) => d.property);
    expect(props).toEqual(expect.arrayContaining(["to", "messages[0].text"]));
  });

  it("enforces message subtype rules (discriminator) and limits", async () => {
    const e = await errorOf(
      h.client.pushMessage({
        to: h.friends[0],
        messages: [
          { type: "text" } as never,
          {
            type: "image",
            originalContentUrl: "http://insecure.example/a.png",
            previewImageUrl: "https://ok.example/p.png",
          },
          {
            type: "flex",
            altText: "x".repeat(1501),
            contents: { type: "bubble" },
          },
          { type: "hologram" } as never,
          text("x".repeat(5001)),
        ],
      }),
    );
    expect(e.status).toBe(400);
    const props = e.body.details.map((d: { property: string }) => d.property);
    expect(props).toEqual(
      expect.arrayContaining([
        "messages[0].text",
        "messages[1].originalContentUrl",
        "messages[2].altText",
        "messages[3].type",
        "messages[4].text",
      ]),
    );
    const six = await errorOf(
      h.client.pushMessage({
        to: h.friends[0],
        messages: Array(6).fill(text("a")),
      }),
    );
    expect(six.body.details[0].property).toBe("messages");
    expect(cs().messages).toHaveLength(0);
  });

  it("counts message text in UTF-16 units and labels in grapheme clusters, as LINE does", async () => {
    const apple = "🍎"; // LINE's example: 2 UTF-16 units
    const ok = await h.client.pushMessage({ to: h.friends[0], messages: [text(apple.repeat(2500))] });
    expect(ok.sentMessages).toHaveLength(1);
    // 4,999 code points, 5,001 UTF-16 units.
    const e = await errorOf(h.client.pushMessage({ to: h.friends[0], messages: [text(`${"x".repeat(4997)}${apple}${apple}`)] }));
    expect(e.status).toBe(400);
    expect(e.body).toEqual({
      message: "The request body has 1 error(s)",
      details: [{ message: "length must be between 0 and 5000", property: "messages[0].text" }],
    });
    const family = "👨‍👩‍👧‍👦";
    const quick = (label: string) => ({
      ...text("Pick one"),
      quickReply: { items: [{ type: "action" as const, action: { type: "message" as const, label, text: label } }] },
    });
    await h.client.pushMessage({ to: h.friends[0], messages: [quick(family.repeat(20))] });
    const q = await errorOf(h.client.pushMessage({ to: h.friends[0], messages: [quick(family.repeat(21))] }));
    expect(q.body.details).toEqual([
      { message: "must be a string of at most 20 characters", property: "messages[0].quickReply.items[0].action.label" },
    ]);
  });

  it("401 without a valid token; 404 for paths outside the spec and unimplemented operations", async () => {
    const res = await fetch(`${h.emu.url}/v2/bot/info`, {
      headers: { authorization: "Bearer nope" },
    });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { message: string }).message).toMatch(/Authentication failed/);
    expect(res.headers.get("x-line-request-id")).toBeTruthy();
    const nf = await fetch(`${h.emu.url}/v2/bot/definitely/not/here`, {
      headers: { authorization: `Bearer ${h.channel.channelAccessToken}` },
    });
    expect(nf.status).toBe(404);
    const ni = await errorOf(h.client.getGroupSummary("Cabc"));
    expect(ni.status).toBe(404);
  });
});

describe("sending, counting and quota", () => {
  it("push/multicast/broadcast count recipients; blocked & non-friends are skipped; reply is free", async () => {
    h.emu.state.setFriendship(cs(), h.friends[2], "blocked");
    const stranger = h.emu.state.createUser({ displayName: "S" }).userId;
    const r = await h.client.pushMessage({
      to: h.friends[0],
      messages: [text("hello"), text("world")],
    });
    expect(r.sentMessages).toHaveLength(2);
    expect(cs().channel.totalUsage).toBe(1);
    await h.client.multicast({
      to: [h.friends[0], h.friends[1], h.friends[2], stranger],
      messages: [text("m")],
    });
    expect(cs().channel.totalUsage).toBe(3);
    await h.client.broadcast({ messages: [text("b")] });
    expect(cs().channel.totalUsage).toBe(5);
    expect((await h.client.getMessageQuotaConsumption()).totalUsage).toBe(5);
    expect(cs().messagesByUser.get(h.friends[2])).toBeUndefined();
    const u0 = h.emu.state.userView(cs(), h.friends[0]);
    expect(u0.messages.map((m) => m.kind)).toEqual(["push", "push", "multicast", "broadcast"]);

    // reply with a token from a webhook event
    const ev = await h.emu.sendWebhookEvents(h.channel.channelId, [{ type: "message", userId: h.friends[1], text: "hi bot" }]);
    const replyToken = (ev.events[0] as { replyToken: string }).replyToken;
    await h.client.replyMessage({ replyToken, messages: [text("reply!")] });
    expect(cs().channel.totalUsage).toBe(5);
    const again = await errorOf(h.client.replyMessage({ replyToken, messages: [text("reply!")] }));
    expect(again.status).toBe(400);
    expect(again.body.message).toBe("Invalid reply token");
  });

  it("returns 429 when the monthly quota would be exceeded", async () => {
    h.emu.state.updateChannel(h.channel.channelId, {
      quota: { type: "limited", value: 4 },
    });
    expect(await h.client.getMessageQuota()).toEqual({
      type: "limited",
      value: 4,
    });
    await h.client.multicast({ to: h.friends, messages: [text("1")] });
    const e = await errorOf(h.client.multicast({ to: h.friends, messages: [text("2")] }));
    expect(e.status).toBe(429);
    expect(e.body.message).toBe("You have reached your monthly limit.");
    await h.client.pushMessage({
      to: h.friends[0],
      messages: [text("last one")],
    });
    expect((await errorOf(h.client.pushMessage({ to: h.friends[0], messages: [text("over")] }))).status).toBe(429);
    expect(cs().channel.totalUsage).toBe(4);
  });

  it("narrowcast to an uploaded audience (202) and progress", async () => {
    const created = await h.client.narrowcastWithHttpInfo({
      messages: [text("all")],
    });
    expect(created.httpResponse.status).toBe(202);
    const res = await fetch(`${h.emu.url}/v2/bot/audienceGroup/upload`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${h.channel.channelAccessToken}`,
        "content-type": "application/json",
      },
      body: JSON.stringify({
        description: "vip",
        audiences: [{ id: h.friends[1] }],
      }),
    });
    expect(res.status).toBe(202);
    const { audienceGroupId } = (await res.json()) as {
      audienceGroupId: number;
    };
    const nc = await h.client.narrowcastWithHttpInfo({
      messages: [text("vip only")],
      recipient: { type: "audience", audienceGroupId },
    });
    const requestId = nc.httpResponse.headers.get("x-line-request-id")!;
    const progress = await h.client.getNarrowcastProgress(requestId);
    expect(progress.phase).toBe("succeeded");
    expect(progress.successCount).toBe(1);
    expect(h.emu.state.userView(cs(), h.friends[1]).messages.map((m) => (m.message as { text: string }).text)).toEqual(["all", "vip only"]);
    const ag = await fetch(`${h.emu.url}/v2/bot/audienceGroup/${audienceGroupId}`, {
      headers: { authorization: `Bearer ${h.channel.channelAccessToken}` },
    });
    expect(((await ag.json()) as { audienceGroup: { audienceCount: number } }).audienceGroup.audienceCount).toBe(1);
  });

  it("profile is 404 for non-friends; link token requires a friend", async () => {
    expect((await h.client.getProfile(h.friends[0])).displayName).toBe("Friend 0");
    const stranger = h.emu.state.createUser({ displayName: "S" }).userId;
    expect((await errorOf(h.client.getProfile(stranger))).status).toBe(404);
    expect((await h.client.issueLinkToken(h.friends[0])).linkToken).toBeTruthy();
    expect((await errorOf(h.client.issueLinkToken(stranger))).status).toBe(400);
  });
});

describe("X-Line-Retry-Key", () => {
  it("second push with the same key → 409 + x-line-accepted-request-id, delivered once", async () => {
    const key = crypto.randomUUID();
    const first = await h.client.pushMessageWithHttpInfo({ to: h.friends[0], messages: [text("once")] }, key);
    const firstId = first.httpResponse.headers.get("x-line-request-id");
    const e = await errorOf(h.client.pushMessage({ to: h.friends[0], messages: [text("once")] }, key));
    expect(e.status).toBe(409);
    expect(e.body.message).toBe("The retry key is already accepted");
    expect(e.headers.get("x-line-accepted-request-id")).toBe(firstId);
    expect(cs().messagesByUser.get(h.friends[0])).toHaveLength(1);
    expect(cs().channel.totalUsage).toBe(1);
  });

  it("retry key on a non-send endpoint → 400; non-UUID → 400", async () => {
    const res = await fetch(`${h.emu.url}/v2/bot/message/reply`, {
      method: "POST",
      headers: {
        authorization: `Bearer ${h.channel.channelAccessToken}`,
        "content-type": "application/json",
        "x-line-retry-key": crypto.randomUUID(),
      },
      body: JSON.stringify({ replyToken: "x", messages: [text("x")] }),
    });
    expect(res.status).toBe(400);
    const e = await errorOf(h.client.pushMessage({ to: h.friends[0], messages: [text("x")] }, "not-a-uuid"));
    expect(e.status).toBe(400);
  });

  it("a 500 fault does not consume the key: retry succeeds and delivers once", async () => {
    const key = crypto.randomUUID();
    await fetch(`${h.emu.url}/__emulator/faults`, {
      method: "POST",
      body: JSON.stringify({
        operationId: "pushMessage",
        status: 500,
        count: 1,
      }),
    });
    const e = await errorOf(h.client.pushMessage({ to: h.friends[0], messages: [text("retry me")] }, key));
    expect(e.status).toBe(500);
    expect(cs().messages).toHaveLength(0);
    await h.client.pushMessage({ to: h.friends[0], messages: [text("retry me")] }, key);
    expect((await errorOf(h.client.pushMessage({ to: h.friends[0], messages: [text("retry me")] }, key))).status).toBe(409);
    expect(cs().messages).toHaveLength(1);
  });
});

describe("rate limits and faults", () => {
  it("429 Too many requests with a tiny configured limit", async () => {
    for (let i = 0; i < 3; i++) await h.client.getBotInfo();
    const e = await errorOf(h.client.getBotInfo());
    expect(e.status).toBe(429);
    expect(e.body.message).toBe("Too many requests");
    // per operation: others still fine
    await h.client.getMessageQuota();
  });

  it("fault injection: 503 for count=2 then success; drop destroys the socket; delay", async () => {
    h.emu.faults.add({
      pathPrefix: "/v2/bot/message/quota",
      status: 503,
      count: 2,
    });
    expect((await errorOf(h.client.getMessageQuota())).status).toBe(503);
    expect((await errorOf(h.client.getMessageQuota())).status).toBe(503);
    expect(await h.client.getMessageQuota()).toEqual({ type: "none" });

    h.emu.faults.add({ operationId: "multicast", drop: true, count: 1 });
    await expect(h.client.multicast({ to: h.friends, messages: [text("lost")] })).rejects.toBeInstanceOf(TypeError);
    expect(cs().messages).toHaveLength(0);
    await h.client.multicast({ to: h.friends, messages: [text("ok")] });
    expect(cs().messages).toHaveLength(3);

    h.emu.faults.add({ operationId: "getBotInfo", delayMs: 150, count: 1 });
    const t0 = Date.now();
    await h.client.getBotInfo();
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);

    const ctl = await fetch(`${h.emu.url}/__emulator/faults`, {
      method: "POST",
      body: JSON.stringify({ status: 500, untilMs: 60_000 }),
    });
    expect(ctl.status).toBe(200);
    const err = await errorOf(h.client.getBotInfo());
    expect(err.status).toBe(500);
    await fetch(`${h.emu.url}/__emulator/faults`, { method: "DELETE" });
    await h.client.getMessageQuota();
    const log = cs().requests.filter((r) => r.fault);
    expect(log.length).toBeGreaterThanOrEqual(4);
  });

  it("HTTPFetchError is what the SDK throws", async () => {
    await h.client.getMessageQuota();
    h.emu.faults.add({ operationId: "getMessageQuota", status: 500, count: 1 });
    await expect(h.client.getMessageQuota()).rejects.toBeInstanceOf(HTTPFetchError);
  });
});

describe("channel access tokens", () => {
  it("issues stateless (v3) and short-lived (v2) tokens usable with the SDK", async () => {
    for (const p of ["/oauth2/v3/token", "/v2/oauth/accessToken"]) {
      const res = await fetch(`${h.emu.url}${p}`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          grant_type: "client_credentials",
          client_id: h.channel.channelId,
          client_secret: h.channel.channelSecret,
        }).toString(),
      });
      expect(res.status).toBe(200);
      const { access_token } = (await res.json()) as { access_token: string };
      const { messagingApi } = await import("@line/bot-sdk");
      const c = new messagingApi.MessagingApiClient({
        channelAccessToken: access_token,
        baseURL: h.emu.url,
      });
      expect((await c.getBotInfo()).userId).toBe(h.channel.botUserId);
    }
  });
});

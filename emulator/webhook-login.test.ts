import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { validateSignature } from "@line/bot-sdk";
import { LineEmulatorClient } from "./client.js";
import { toBlob, responseProblems, makeImage, richMenuBody, setup, startReceiver, type Harness, type Receiver } from "./test-helpers.js";

let h: Harness;
let rx: Receiver;
let ctl: LineEmulatorClient;
beforeAll(async () => {
  h = await setup({}, 2);
  rx = await startReceiver();
  ctl = new LineEmulatorClient(h.emu.url);
  await ctl.updateChannel(h.channel.channelId, { webhookUrl: rx.url });
}, 30_000);
afterAll(async () => {
  expect(responseProblems(h.emu)).toEqual([]);
  await h?.emu.close();
  await rx?.close();
});

describe("webhooks toward the app", () => {
  it("follow event is spec-shaped, signed with the channel secret, and makes the user a friend", async () => {
    const user = await ctl.createUser({ displayName: "Newcomer" });
    const r = await ctl.sendWebhookEvent(h.channel.channelId, {
      type: "follow",
      userId: user.userId,
    });
    expect(r.status).toBe(200);
    expect(r.body).toBe("ok");
    const got = rx.received.at(-1)!;
    const sig = got.headers["x-line-signature"] as string;
    expect(validateSignature(got.body, h.channel.channelSecret, sig)).toBe(true);
    expect(validateSignature(got.body, "wrong-secret", sig)).toBe(false);
    const payload = JSON.parse(got.body);
    expect(h.emu.validateWebhookPayload(payload)).toEqual([]);
    expect(
      h.emu.validateWebhookPayload({
        destination: "x",
        events: [{ type: "follow" }],
      }).length,
    ).toBeGreaterThan(0);
    expect(payload.destination).toBe(h.channel.botUserId);
    const ev = payload.events[0];
    expect(ev).toMatchObject({
      type: "follow",
      mode: "active",
      source: { type: "user", userId: user.userId },
      deliveryContext: { isRedelivery: false },
      follow: { isUnblocked: false },
    });
    expect(ev.webhookEventId).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(typeof ev.replyToken).toBe("string");
    expect((await ctl.getUserState(h.channel.channelId, user.userId)).friendship).toBe("friend");

    await ctl.sendWebhookEvent(h.channel.channelId, {
      type: "unfollow",
      userId: user.userId,
    });
    expect((await ctl.getUserState(h.channel.channelId, user.userId)).friendship).toBe("blocked");
    await ctl.sendWebhookEvent(h.channel.channelId, {
      type: "follow",
      userId: user.userId,
      isRedelivery: true,
    });
    const again = JSON.parse(rx.received.at(-1)!.body).events[0];
    expect(again.follow.isUnblocked).toBe(true);
    expect(again.deliveryContext.isRedelivery).toBe(true);
  });

  it("postback + message events; app error status is reported back; raw webhook with bad signature", async () => {
    rx.status = 500;
    const r = await ctl.sendWebhookEvent(h.channel.channelId, {
      type: "postback",
      userId: h.friends[0],
      data: "action=buy&id=1",
      params: { date: "2026-01-01" },
    });
    expect(r.status).toBe(500);
    rx.status = 200;
    const ev = JSON.parse(rx.received.at(-1)!.body).events[0];
    expect(h.emu.validateWebhookPayload(rx.received.at(-1)!.body)).toEqual([]);
    expect(ev.postback).toEqual({
      data: "action=buy&id=1",
      params: { date: "2026-01-01" },
    });

    await ctl.sendWebhookEvent(h.channel.channelId, {
      type: "message",
      userId: h.friends[0],
      text: "hello",
    });
    expect(h.emu.validateWebhookPayload(rx.received.at(-1)!.body)).toEqual([]);
    expect(JSON.parse(rx.received.at(-1)!.body).events[0].message).toMatchObject({ type: "text", text: "hello" });

    const raw = await ctl.sendRawWebhook(h.channel.channelId, {
      body: { destination: h.channel.botUserId, events: [] },
      badSignature: true,
    });
    const got = rx.received.at(-1)!;
    expect(got.body).toBe(raw.payload);
    expect(validateSignature(got.body, h.channel.channelSecret, got.headers["x-line-signature"] as string)).toBe(false);
    expect((await ctl.getWebhookDeliveries(h.channel.channelId)).deliveries.length).toBeGreaterThanOrEqual(3);
  });
});

describe("LINE Login v2.1", () => {
  it("authorize (emulator_user) → token → verify id_token with nonce → profile; bot_prompt adds friend + follow webhook", async () => {
    const ch = h.emu.state.mustChannel(h.channel.channelId).channel;
    const user = await ctl.createUser({
      displayName: "Login User",
      pictureUrl: "https://example.com/p.png",
    });
    const redirectUri = "https://app.example.com/auth/line/callback";
    const nonce = crypto.randomUUID();
    const q = new URLSearchParams({
      response_type: "code",
      client_id: ch.loginChannelId!,
      redirect_uri: redirectUri,
      state: "st4te",
      scope: "profile openid",
      nonce,
      bot_prompt: "aggressive",
      emulator_user: user.userId,
    });
    const before = rx.received.length;
    const res = await fetch(`${h.emu.loginBaseUrl}/oauth2/v2.1/authorize?${q}`, { redirect: "manual" });
    expect(res.status).toBe(302);
    const loc = new URL(res.headers.get("location")!);
    expect(loc.origin + loc.pathname).toBe(redirectUri);
    expect(loc.searchParams.get("state")).toBe("st4te");
    expect(loc.searchParams.get("friendship_status_changed")).toBe("true");
    const code = loc.searchParams.get("code")!;
    // follow webhook sent + friend
    expect(rx.received.length).toBe(before + 1);
    expect(JSON.parse(rx.received.at(-1)!.body).events[0]).toMatchObject({
      type: "follow",
      source: { userId: user.userId },
    });

    const form = (o: Record<string, string>) => ({
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams(o).toString(),
    });
    const tokenReq = {
      grant_type: "authorization_code",
      code,
      redirect_uri: redirectUri,
      client_id: ch.loginChannelId!,
      client_secret: ch.loginChannelSecret!,
    };
    const bad = await fetch(`${h.emu.apiBaseUrl}/oauth2/v2.1/token`, form({ ...tokenReq, redirect_uri: "https://evil.example/cb" }));
    expect(bad.status).toBe(400);
    const tok = await fetch(`${h.emu.apiBaseUrl}/oauth2/v2.1/token`, form(tokenReq));
    expect(tok.status).toBe(200);
    const tokens = (await tok.json()) as {
      access_token: string;
      id_token: string;
      token_type: string;
      expires_in: number;
      scope: string;
      refresh_token: string;
    };
    expect(tokens.token_type).toBe("Bearer");
    expect(tokens.scope).toBe("profile openid");
    // code is single use
    expect((await fetch(`${h.emu.apiBaseUrl}/oauth2/v2.1/token`, form(tokenReq))).status).toBe(400);

    const verify = await fetch(
      `${h.emu.apiBaseUrl}/oauth2/v2.1/verify`,
      form({ id_token: tokens.id_token, client_id: ch.loginChannelId!, nonce }),
    );
    expect(verify.status).toBe(200);
    const claims = (await verify.json()) as Record<string, unknown>;
    expect(claims).toMatchObject({
      iss: "https://access.line.me",
      sub: user.userId,
      aud: ch.loginChannelId,
      nonce,
      name: "Login User",
      picture: "https://example.com/p.png",
      amr: ["pwd"],
    });
    const badNonce = await fetch(
      `${h.emu.apiBaseUrl}/oauth2/v2.1/verify`,
      form({
        id_token: tokens.id_token,
        client_id: ch.loginChannelId!,
        nonce: "other",
      }),
    );
    expect(badNonce.status).toBe(400);
    expect(((await badNonce.json()) as { error: string }).error).toBe("invalid_request");

    const v = await fetch(`${h.emu.apiBaseUrl}/oauth2/v2.1/verify?access_token=${tokens.access_token}`);
    expect(await v.json()).toMatchObject({
      client_id: ch.loginChannelId,
      scope: "profile openid",
    });
    const prof = await fetch(`${h.emu.apiBaseUrl}/v2/profile`, {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    expect(await prof.json()).toMatchObject({
      userId: user.userId,
      displayName: "Login User",
    });
    const fr = await fetch(`${h.emu.apiBaseUrl}/friendship/v1/status`, {
      headers: { authorization: `Bearer ${tokens.access_token}` },
    });
    expect(await fr.json()).toEqual({ friendFlag: true });
  });

  it("rejects unknown client_id / missing state / missing redirect_uri; consent page lists users", async () => {
    const ch = h.emu.state.mustChannel(h.channel.channelId).channel;
    const base = {
      response_type: "code",
      client_id: ch.loginChannelId!,
      redirect_uri: "https://app.example.com/cb",
      state: "s",
      scope: "profile openid",
    };
    const get = (o: Record<string, string>) =>
      fetch(`${h.emu.url}/oauth2/v2.1/authorize?${new URLSearchParams(o)}`, {
        redirect: "manual",
      });
    expect((await get({ ...base, client_id: "999" })).status).toBe(400);
    const { state: _s, ...noState } = base;
    expect((await get(noState)).status).toBe(400);
    const { redirect_uri: _r, ...noRedirect } = base;
    expect((await get(noRedirect)).status).toBe(400);
    const page = await get(base);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("Friend 0");
    expect(html).toContain('action="/oauth2/v2.1/authorize/consent"');
    // submit the consent form like a browser would
    const consent = await fetch(`${h.emu.url}/oauth2/v2.1/authorize/consent`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        ...base,
        userId: h.friends[0],
        action: "allow",
      }).toString(),
    });
    expect(consent.status).toBe(302);
    expect(new URL(consent.headers.get("location")!).searchParams.get("code")).toBeTruthy();
  });
});

describe("account link", () => {
  it("link token → /dialog/bot/accountLink → accountLink webhook with the nonce; reuse fails", async () => {
    const { linkToken } = await h.client.issueLinkToken(h.friends[1]);
    const nonce = crypto.randomBytes(16).toString("base64url");
    const res = await fetch(`${h.emu.url}/dialog/bot/accountLink?linkToken=${linkToken}&nonce=${nonce}`);
    expect(res.status).toBe(200);
    const ev = JSON.parse(rx.received.at(-1)!.body).events[0];
    expect(h.emu.validateWebhookPayload(rx.received.at(-1)!.body)).toEqual([]);
    expect(ev).toMatchObject({
      type: "accountLink",
      source: { type: "user", userId: h.friends[1] },
      link: { result: "ok", nonce },
    });
    expect(typeof ev.replyToken).toBe("string");
    const again = await fetch(`${h.emu.url}/dialog/bot/accountLink?linkToken=${linkToken}&nonce=${nonce}`);
    expect(again.status).toBe(400);
    const failed = JSON.parse(rx.received.at(-1)!.body).events[0];
    expect(failed.link.result).toBe("failed");
    expect(h.emu.validateWebhookPayload(rx.received.at(-1)!.body)).toEqual([]);
    expect(failed.replyToken).toBeUndefined();
  });
});

describe("phone page", () => {
  it("shows messages, the rich menu image and labelled tap areas", async () => {
    const { richMenuId } = await h.client.createRichMenu(
      richMenuBody({
        chatBarText: "Tap here",
        areas: [
          {
            bounds: { x: 0, y: 0, width: 1250, height: 843 },
            action: { type: "uri", uri: "https://shop.example.com/orders" },
          },
          {
            bounds: { x: 1250, y: 0, width: 1250, height: 843 },
            action: { type: "postback", data: "points=1" },
          },
          {
            bounds: { x: 0, y: 843, width: 2500, height: 843 },
            action: {
              type: "richmenuswitch",
              richMenuAliasId: "page-2",
              data: "sw",
            },
          },
        ],
      }),
    );
    await h.blob.setRichMenuImage(richMenuId, toBlob(await makeImage(2500, 1686), "image/png"));
    await h.client.linkRichMenuIdToUser(h.friends[0], richMenuId);
    await h.client.pushMessage({
      to: h.friends[0],
      messages: [
        { type: "text", text: "Your order shipped" },
        {
          type: "flex",
          altText: "Order",
          contents: {
            type: "bubble",
            hero: { type: "image", url: "https://cdn.example.com/p.jpg" },
            body: {
              type: "box",
              layout: "vertical",
              contents: [{ type: "text", text: "Order #1001" }],
            },
            footer: {
              type: "box",
              layout: "vertical",
              contents: [
                {
                  type: "button",
                  action: {
                    type: "uri",
                    label: "View",
                    uri: "https://shop.example.com/o/1001",
                  },
                },
              ],
            },
          },
        },
      ],
    });
    const res = await fetch(ctl.phoneUrl(h.channel.channelId, h.friends[0]));
    expect(res.status).toBe(200);
    const html = await res.text();
    const imgPath = `/__emulator/channels/${h.channel.channelId}/richmenus/${richMenuId}/image`;
    expect(html).toContain(imgPath);
    expect(html).toContain("uri: https://shop.example.com/orders");
    expect(html).toContain("postback: points=1");
    expect(html).toContain("richmenuswitch → page-2");
    expect(html).toContain("Tap here");
    expect(html).toContain("Your order shipped");
    expect(html).toContain("Order #1001");
    expect(html).toContain("https://shop.example.com/o/1001");
    const img = await fetch(h.emu.url + imgPath);
    expect(img.headers.get("content-type")).toBe("image/png");
    // simulate taps: postback area → postback webhook; richmenuswitch → display switch + postback with params
    const n = rx.received.length;
    await ctl.tap(h.channel.channelId, h.friends[0], { area: 1 });
    expect(JSON.parse(rx.received.at(-1)!.body).events[0]).toMatchObject({ type: "postback", postback: { data: "points=1" } });
    const { richMenuId: page2 } = await h.client.createRichMenu(richMenuBody({ name: "page 2", chatBarText: "Page 2" }));
    await h.blob.setRichMenuImage(page2, toBlob(await makeImage(2500, 1686), "image/png"));
    await h.client.createRichMenuAlias({ richMenuAliasId: "page-2", richMenuId: page2 });
    const sw = await ctl.tap(h.channel.channelId, h.friends[0], { area: 2 });
    expect(sw.switchedTo).toBe(page2);
    const swEv = JSON.parse(rx.received.at(-1)!.body);
    expect(h.emu.validateWebhookPayload(swEv)).toEqual([]);
    expect(swEv.events[0].postback).toEqual({ data: "sw", params: { newRichMenuAliasId: "page-2", status: "SUCCESS" } });
    expect(await (await fetch(ctl.phoneUrl(h.channel.channelId, h.friends[0]))).text()).toContain("Page 2");
    expect((await h.client.getRichMenuIdOfUser(h.friends[0])).richMenuId).toBe(richMenuId); // server-side link unchanged
    await ctl.tap(h.channel.channelId, h.friends[0], { text: "hello from the phone" });
    expect(JSON.parse(rx.received.at(-1)!.body).events[0].message.text).toBe("hello from the phone");
    expect(rx.received.length).toBe(n + 3);
    // HTML form post redirects back to the phone page
    const form = await fetch(`${ctl.phoneUrl(h.channel.channelId, h.friends[0])}/tap`, {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "text=hi",
    });
    expect(form.status).toBe(303);
    const index = await (await fetch(`${h.emu.url}/__emulator/phone`)).text();
    expect(index).toContain(h.friends[0]);
  });
});

describe("control API", () => {
  it("bulk-creates 100k users quickly and broadcasts to them", async () => {
    const ch = await ctl.createChannel({
      quota: { type: "limited", value: 200_000 },
    });
    const t0 = Date.now();
    const users = Array.from({ length: 100_000 }, (_, i) => ({
      displayName: `Bulk ${i}`,
      friendOf: [ch.channelId],
    }));
    const r = await ctl.createUsers(users);
    expect(r.count).toBe(100_000);
    expect(Date.now() - t0).toBeLessThan(10_000);
    const client = new (await import("@line/bot-sdk")).messagingApi.MessagingApiClient({
      channelAccessToken: ch.channelAccessToken,
      baseURL: h.emu.url,
    });
    await client.broadcast({ messages: [{ type: "text", text: "sale!" }] });
    expect((await client.getMessageQuotaConsumption()).totalUsage).toBe(100_000);
    expect((await ctl.getMessages(ch.channelId, { userId: r.userIds[5] })).messages[0].message.text).toBe("sale!");
    const reqs = await ctl.getRequests(ch.channelId, {
      operationId: "broadcast",
    });
    expect(reqs.requests[0].status).toBe(200);
  });
});

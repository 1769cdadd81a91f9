// LINE sends and tracked-link clicks of friends matched to Klaviyo profiles become outbox rows of
// kind "event" (Klaviyo's "LINE Message Sent" / "LINE Message Clicked", unique_id per row), once.
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { installDevShop } from "~/services/shops.server";
import { LINE_EVENTS_OVERLAP_MS, queueLineEvents } from "~/services/integrations/line-events.server";
import type { WriteBackEvent } from "~/domain/integrations/types";
import { uniqueShop } from "../support/shopify";

const t0 = new Date("2026-11-30T00:00:00Z");
const at = (min: number) => new Date(t0.getTime() + min * 60_000);
let shopId: number;
let matched: number;
let unmatched: number;
let seq = 0;

async function send(friendId: number, sentAt: Date | null, extra: { kind?: string; status?: string; createdAt?: Date } = {}) {
  return db().messageSend.create({
    data: {
      shopId,
      friendId,
      kind: extra.kind ?? "broadcast",
      sourceType: "broadcast",
      sourceId: 5,
      retryKey: `rk-${++seq}-${Math.random()}`,
      status: extra.status ?? (sentAt ? "sent" : "pending"),
      sentAt,
      createdAt: extra.createdAt ?? sentAt ?? at(0),
    },
  });
}

async function rows() {
  const r = await db().integrationWriteBack.findMany({ where: { shopId, provider: "klaviyo", kind: "event" }, orderBy: { id: "asc" } });
  return r.map((x) => x.payload as unknown as WriteBackEvent);
}

beforeAll(async () => {
  const domain = uniqueShop();
  await installDevShop({ domain });
  shopId = (await db().shop.findUniqueOrThrow({ where: { domain } })).id;
  matched = (await db().friend.create({ data: { shopId, lineUserId: "U" + "a".repeat(32), displayName: "A" } })).id;
  unmatched = (await db().friend.create({ data: { shopId, lineUserId: "U" + "b".repeat(32), displayName: "B" } })).id;
  await db().integrationConnection.create({
    data: { shopId, provider: "klaviyo", authType: "api_key", credentialEnc: "x", connectedAt: t0 },
  });
  // The friend matches two profiles (one by email, one by its LINE user id property): an event each.
  await db().integrationContact.createMany({
    data: [
      { shopId, provider: "klaviyo", externalId: "01PROFILEA", friendId: matched },
      { shopId, provider: "klaviyo", externalId: "01PROFILEB", friendId: matched },
      { shopId, provider: "klaviyo", externalId: "01PROFILEC", friendId: null },
      // HubSpot contacts get no events.
      { shopId, provider: "hubspot", externalId: "501", friendId: matched },
    ],
  });
});

describe("queueLineEvents", () => {
  it("queues sent messages and counted clicks of matched friends since the connection, once", async () => {
    const before = await send(matched, at(-5)); // before connecting
    const s1 = await send(matched, at(10));
    await send(matched, null); // pending
    await send(matched, at(11), { kind: "test" });
    await send(matched, at(12), { status: "failed" });
    await send(unmatched, at(13));
    const link = await db().trackedLink.create({
      data: { shopId, code: `c${Date.now()}`, url: "https://shop.example/p/1", sourceType: "broadcast", sourceId: 5 },
    });
    const click = await db().linkClick.create({
      data: { shopId, linkId: link.id, friendId: matched, sourceType: "broadcast", sourceId: 5, at: at(20), visitor: "v1", clickWindow: 1 },
    });
    await db().linkClick.create({ data: { shopId, linkId: link.id, friendId: matched, sourceType: "broadcast", sourceId: 5, at: at(21) } }); // repeat: not counted

    expect(await queueLineEvents(shopId, at(30))).toEqual({ sent: 2, clicked: 2 });
    const queued = await rows();
    expect(queued.map((e) => [e.externalId, e.metric, e.uniqueId]).sort()).toEqual(
      [
        ["01PROFILEA", "LINE Message Sent", `line-send-${s1.id}`],
        ["01PROFILEB", "LINE Message Sent", `line-send-${s1.id}`],
        ["01PROFILEA", "LINE Message Clicked", `line-click-${click.id}`],
        ["01PROFILEB", "LINE Message Clicked", `line-click-${click.id}`],
      ].sort(),
    );
    const sentEvent = queued.find((e) => e.metric === "LINE Message Sent")!;
    expect(sentEvent.time).toBe(at(10).toISOString());
    expect(sentEvent.properties).toEqual({ message_kind: "broadcast", source_type: "broadcast", source_id: 5 });
    expect(queued.find((e) => e.metric === "LINE Message Clicked")!.properties).toEqual({
      url: "https://shop.example/p/1",
      link_id: link.id,
      source_type: "broadcast",
      source_id: 5,
    });
    expect(queued.some((e) => e.uniqueId === `line-send-${before.id}`)).toBe(false);

    // Run again (a retried job, the next sweep): nothing new.
    expect(await queueLineEvents(shopId, at(31))).toEqual({ sent: 0, clicked: 0 });
    expect(await rows()).toHaveLength(4);
  });

  it("a send stamped before the last sweep but committed after it is still queued (overlap)", async () => {
    const late = await send(matched, at(30.5 - LINE_EVENTS_OVERLAP_MS / 60_000 / 2));
    expect(await queueLineEvents(shopId, at(40))).toEqual({ sent: 2, clicked: 0 });
    expect((await rows()).filter((e) => e.uniqueId === `line-send-${late.id}`)).toHaveLength(2);
    const conn = await db().integrationConnection.findFirstOrThrow({ where: { shopId, provider: "klaviyo" } });
    expect(conn.lineEventsThrough).toEqual(at(40));
  });

  it("does nothing for a shop without Klaviyo", async () => {
    const domain = uniqueShop();
    await installDevShop({ domain });
    const other = await db().shop.findUniqueOrThrow({ where: { domain } });
    expect(await queueLineEvents(other.id, at(50))).toEqual({ sent: 0, clicked: 0 });
  });
});

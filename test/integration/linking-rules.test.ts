// Link rules (docs/linking.md) on real PostgreSQL: relink, last link wins, unlink by merchant,
// customers/redact, CSV import/export.
import { describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { installDevShop } from "~/services/shops.server";
import { linkFriendToCustomer, unlinkCustomerInTx, unlinkFriend } from "~/services/linking/links.server";
import { exportLinksCsv, importLinksCsv } from "~/services/linking/links-csv.server";
import { listFriends } from "~/db/friends.server";
import { uniqueShop } from "../support/shopify";
import { commands as linkCommands } from "../../scripts/cli/commands/links";
import fs from "node:fs";
import { queue } from "~/adapters/queue/queues.server";
import { sweepUnqueuedLineEvents } from "~/services/line-events/receive.server";
import os from "node:os";
import path from "node:path";

const U = (n: number) => "U" + n.toString(16).padStart(32, "0");

async function newShop() {
  const { shop } = await installDevShop({ domain: uniqueShop("links") });
  return shop;
}
const friend = (shopId: number, lineUserId: string) =>
  db().friend.findUniqueOrThrow({ where: { shopId_lineUserId: { shopId, lineUserId } } });
const customerOf = async (shopId: number, lineUserId: string) => {
  const f = await friend(shopId, lineUserId);
  return f.customerId ? (await db().customer.findUniqueOrThrow({ where: { id: f.customerId } })).shopifyCustomerId : null;
};

describe("link rules", () => {
  it("creates a bare customer row, is idempotent, relinks a friend and lets the last link win", async () => {
    const shop = await newShop();
    const a = await linkFriendToCustomer({ shopId: shop.id, lineUserId: U(1), shopifyCustomerId: 100n, source: "thank_you" });
    expect(a.outcome).toBe("linked");
    expect(
      await db().customer.findUniqueOrThrow({ where: { shopId_shopifyCustomerId: { shopId: shop.id, shopifyCustomerId: 100n } } }),
    ).toMatchObject({ purchaseCount: 0 });
    expect((await linkFriendToCustomer({ shopId: shop.id, lineUserId: U(1), shopifyCustomerId: 100n, source: "storefront" })).outcome).toBe(
      "unchanged",
    );
    expect((await friend(shop.id, U(1))).linkSource).toBe("thank_you");

    // Friend 1 moves to customer 200 (relink): customer 100 is free again.
    expect((await linkFriendToCustomer({ shopId: shop.id, lineUserId: U(1), shopifyCustomerId: 200n, source: "storefront" })).outcome).toBe(
      "relinked",
    );
    expect(await customerOf(shop.id, U(1))).toBe(200n);

    // Friend 2 links customer 200: last link wins, friend 1 is unlinked and that is recorded.
    const b = await linkFriendToCustomer({ shopId: shop.id, lineUserId: U(2), shopifyCustomerId: 200n, source: "line" });
    expect(b).toMatchObject({ outcome: "linked", unlinkedFriendId: a.friendId });
    expect(await customerOf(shop.id, U(1))).toBeNull();
    expect(await customerOf(shop.id, U(2))).toBe(200n);
    const history = await db().linkHistory.findMany({ where: { shopId: shop.id }, orderBy: { id: "asc" } });
    expect(history.map((h) => [h.friendId, h.action, h.source])).toEqual([
      [a.friendId, "linked", "thank_you"],
      [a.friendId, "linked", "storefront"],
      [a.friendId, "moved_away", "line"],
      [b.friendId, "linked", "line"],
    ]);
  });

  it("races for one customer end with exactly one linked friend", async () => {
    const shop = await newShop();
    await Promise.all(
      [1, 2, 3, 4].map((n) =>
        linkFriendToCustomer({ shopId: shop.id, lineUserId: U(10 + n), shopifyCustomerId: 300n, source: "thank_you" }),
      ),
    );
    expect(await db().friend.count({ where: { shopId: shop.id, customerId: { not: null } } })).toBe(1);
  });

  it("merchant unlink and customers/redact clear the link but keep the friend", async () => {
    const shop = await newShop();
    const r = await linkFriendToCustomer({ shopId: shop.id, lineUserId: U(21), shopifyCustomerId: 400n, source: "thank_you" });
    expect(await unlinkFriend(shop.id, r.friendId, "merchant")).toBe("unlinked");
    expect(await unlinkFriend(shop.id, r.friendId, "merchant")).toBe("not-linked");
    await linkFriendToCustomer({ shopId: shop.id, lineUserId: U(21), shopifyCustomerId: 400n, source: "storefront" });
    // customers/redact unlinks inside its own transaction (app/services/ingestion/ingest.server.ts).
    const redact = () => db().$transaction((tx) => unlinkCustomerInTx(tx, shop.id, 400n));
    expect(await redact()).toBe(r.friendId);
    expect(await redact()).toBeNull();
    expect(await friend(shop.id, U(21))).toMatchObject({ customerId: null, linkSource: null, linkedAt: null });
    expect(await db().linkHistory.count({ where: { shopId: shop.id, shopifyCustomerId: 400n } })).toBe(0);
  });
});

describe("links CSV", () => {
  it("imports valid rows, reports bad ones by line, creates imported friends, and exports the same links", async () => {
    const shop = await newShop();
    await db().friend.create({ data: { shopId: shop.id, lineUserId: U(31), followedAt: new Date(), following: true } });
    const csv = [
      "shopify_customer_id,line_user_id",
      `500,${U(31)}`,
      `gid://shopify/Customer/501,${U(32)}`,
      `oops,${U(33)}`,
      `502,not-a-line-id`,
      `500,${U(34)}`,
      "",
    ].join("\n");
    const r = await importLinksCsv(shop.id, csv);
    expect(r.imported).toBe(2);
    expect(r.errors.map((e) => e.line)).toEqual([4, 5, 6]);
    expect(r.skipped).toBe(3);
    expect(await friend(shop.id, U(31))).toMatchObject({ following: true, linkSource: "import", importedAt: null });
    const imported = await friend(shop.id, U(32));
    expect(imported).toMatchObject({ following: false, followedAt: null, linkSource: "import" });
    expect(imported.importedAt).toBeInstanceOf(Date);

    expect((await importLinksCsv(shop.id, csv)).unchanged).toBe(2);
    expect((await importLinksCsv(shop.id, "customer,line\n1,2")).errors[0].message).toContain("missing column");

    const out = await exportLinksCsv(shop.id);
    const lines = out.trim().split("\n");
    expect(lines[0]).toBe("shopify_customer_id,line_user_id,link_source,linked_at");
    expect(lines.slice(1).map((l) => l.split(",").slice(0, 3).join(","))).toEqual([`500,${U(31)},import`, `501,${U(32)},import`]);

    // Round trip into another shop.
    const other = await newShop();
    expect((await importLinksCsv(other.id, out)).imported).toBe(2);
  });

  it("lists friends with keyset pages, search and link filters", async () => {
    const shop = await newShop();
    await db().friend.createMany({
      data: Array.from({ length: 7 }, (_, i) => ({
        shopId: shop.id,
        lineUserId: U(100 + i),
        displayName: i % 2 ? `Aki ${i}` : `Ben ${i}`,
      })),
    });
    await linkFriendToCustomer({ shopId: shop.id, lineUserId: U(101), shopifyCustomerId: 900n, source: "thank_you" });
    const p1 = await listFriends({ shopId: shop.id, pageSize: 3 });
    expect(p1.items).toHaveLength(3);
    const p2 = await listFriends({ shopId: shop.id, pageSize: 3, before: p1.nextBefore });
    const p3 = await listFriends({ shopId: shop.id, pageSize: 3, before: p2.nextBefore });
    expect(p3.items).toHaveLength(1);
    expect(p3.nextBefore).toBeUndefined();
    const ids = [...p1.items, ...p2.items, ...p3.items].map((i) => i.friend.id);
    expect(new Set(ids).size).toBe(7);
    expect(ids).toEqual([...ids].sort((x, y) => y - x));
    const back = await listFriends({ shopId: shop.id, pageSize: 3, after: p2.prevAfter });
    expect(back.items.map((i) => i.friend.id)).toEqual(p1.items.map((i) => i.friend.id));

    expect((await listFriends({ shopId: shop.id, search: "Aki" })).items).toHaveLength(3);
    // Anywhere in the name, in any case ("aki" and "ki 3" find "Aki 3").
    expect((await listFriends({ shopId: shop.id, search: "aki" })).items).toHaveLength(3);
    expect((await listFriends({ shopId: shop.id, search: "ki 3" })).items.map((i) => i.friend.displayName)).toEqual(["Aki 3"]);
    expect((await listFriends({ shopId: shop.id, search: U(104) })).items).toHaveLength(1);
    const byCustomer = await listFriends({ shopId: shop.id, search: "900" });
    expect(byCustomer.items.map((i) => i.friend.lineUserId)).toEqual([U(101)]);
    expect(byCustomer.items[0].customer?.shopifyCustomerId).toBe(900n);
    expect((await listFriends({ shopId: shop.id, link: "linked" })).items).toHaveLength(1);
    expect((await listFriends({ shopId: shop.id, link: "unlinked" })).items).toHaveLength(6);
  });
});

describe("CLI links:import / links:export / links:unlink", () => {
  it("imports a file, prints a JSON summary with per-line errors, exports and unlinks", async () => {
    const shop = await newShop();
    const cmd = (name: string) => linkCommands.find((c) => c.name === name)!;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "links-"));
    const file = path.join(dir, "links.csv");
    fs.writeFileSync(file, `shopify_customer_id,line_user_id\n700,${U(71)}\n701,bad\n`);
    const out = (await cmd("links:import").run({ shop: shop.domain, file })) as {
      imported: number;
      skipped: number;
      errors: Array<{ line: number }>;
    };
    expect(out).toMatchObject({ imported: 1, skipped: 1, errors: [{ line: 3 }] });
    expect(JSON.parse(JSON.stringify(out))).toEqual(out);
    process.exitCode = 0;
    const exported = path.join(dir, "out.csv");
    expect(await cmd("links:export").run({ shop: shop.domain, file: exported })).toEqual({ exported: 1, file: exported });
    expect(fs.readFileSync(exported, "utf8")).toContain(`700,${U(71)},import`);
    expect(await cmd("links:unlink").run({ shop: shop.domain, user: U(71) })).toEqual({ result: "unlinked" });
  });
});

describe("LINE event sweep", () => {
  it("re-enqueues events recorded but never queued", async () => {
    const shop = await newShop();
    const ev = await db().lineEvent.create({
      data: { shopId: shop.id, webhookEventId: "01SWEEP", type: "follow", payload: {}, receivedAt: new Date(Date.now() - 120_000) },
    });
    expect(await sweepUnqueuedLineEvents(new Date())).toBeGreaterThanOrEqual(1);
    expect(await queue("inbound").getJob(`line-events.process-event:${ev.id}`)).not.toBeNull();
  });
});

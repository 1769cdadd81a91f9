// The segment and tag admin routes through their real loaders/actions (sandbox admin auth: a signed
// cookie for a dev-installed shop; no mocks of our modules or of Shopify's authenticate).
import { beforeAll, describe, expect, it } from "vitest";
import { resetEnv } from "~/config/env.server";
import { sandboxCookie } from "~/adapters/shopify/admin-auth.server";
import { installDevShop } from "~/services/shops.server";
import { db } from "~/db.server";
import { action as previewAction } from "~/routes/app.segments.preview";
import { action as editAction, loader as editLoader } from "~/routes/app.segments.$id";
import { action as listAction, loader as listLoader } from "~/routes/app.segments._index";
import { action as tagsAction, loader as tagsLoader } from "~/routes/app.tags";
import { uniqueShop } from "../support/shopify";

const shop = uniqueShop("segroutes");
let shopId: number;

beforeAll(async () => {
  process.env.SANDBOX_AUTH = "1";
  resetEnv();
  await installDevShop({ domain: shop });
  shopId = (await db().shop.findUniqueOrThrow({ where: { domain: shop } })).id;
  for (let i = 0; i < 3; i++)
    await db().friend.create({
      data: { shopId, lineUserId: `Ur${i}`, displayName: `R${i}`, followedAt: new Date(Date.now() - i * 86_400_000) },
    });
});

const url = (p: string) => `https://my-test-app.myshopify.io${p}`;
const headers = () => ({ cookie: sandboxCookie(shop) });
async function call<T>(fn: (args: never) => Promise<T>, request: Request, params: Record<string, string> = {}): Promise<Response> {
  try {
    const r = await fn({ request, params, context: {} } as never);
    return r as unknown as Response;
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}
const form = (data: Record<string, string>) => new URLSearchParams(data);

describe("segment routes", () => {
  it("preview: the summary names products by their titles, in the admin's language; an unknown id stays an id", async () => {
    const order = await db().order.create({
      data: { shopId, shopifyOrderId: 9001n, processedAt: new Date(), shopifyUpdatedAt: new Date(), totalPrice: "10", currency: "JPY" },
    });
    await db().orderLine.create({
      data: { orderId: order.id, shopId, productId: 7001n, title: "抹茶ラテ", quantity: 1, price: "10", purchasedAt: new Date() },
    });
    const res = await call(
      previewAction,
      new Request(url("/app/segments/preview?locale=ja"), {
        method: "POST",
        headers: { ...headers(), "content-type": "application/json" },
        body: JSON.stringify({
          definition: { groups: [{ conditions: [{ field: "productPurchased", op: "hasAny", value: ["7001", "7002"] }] }] },
        }),
      }),
    );
    expect(res.status).toBe(200);
    expect((await res.json()).preview.summary).toBe("商品「抹茶ラテ」・「7002」を購入した友だち");
  });

  it("preview: JSON in, count/excluded/sample/summary out; invalid → 422 with paths", async () => {
    const ok = await call(
      previewAction,
      new Request(url("/app/segments/preview?locale=en"), {
        method: "POST",
        headers: { ...headers(), "content-type": "application/json" },
        body: JSON.stringify({
          definition: {
            groups: [
              { conditions: [{ field: "friendAddedAt", op: "withinLastDays", value: 2 }] },
              { conditions: [{ field: "shopifyLinked", op: "is", value: true }] },
            ],
          },
        }),
      }),
    );
    expect(ok.status).toBe(200);
    const body = await ok.json();
    expect(body.preview).toMatchObject({
      count: 2,
      excluded: { blocked: 0, optedOut: 0 },
      summary: "Anyone who (became a friend in the last 2 days) or (is linked to a Shopify customer)",
    });
    expect(body.preview.sample.map((s: { displayName: string }) => s.displayName)).toEqual(["R0", "R1"]);

    const bad = await call(
      previewAction,
      new Request(url("/app/segments/preview"), {
        method: "POST",
        headers: { ...headers(), "content-type": "application/json" },
        body: JSON.stringify({ definition: { groups: [{ conditions: [{ field: "tag", op: "has" }] }] } }),
      }),
    );
    expect(bad.status).toBe(422);
    // A code and values for the admin to say in the merchant's language, English for scripts.
    expect((await bad.json()).issues[0]).toMatchObject({
      path: "groups[0].conditions[0].value",
      code: "expectedText",
      message: expect.stringMatching(/expected string/),
    });
  });

  it("preview summary is in the admin's language (Shopify's `locale` parameter)", async () => {
    const definition = {
      groups: [
        { conditions: [{ field: "friendAddedAt", op: "withinLastDays", value: 2 }] },
        { conditions: [{ field: "shopifyLinked", op: "is", value: true }] },
      ],
    };
    const summaries: Record<string, string> = {};
    for (const locale of ["ja", "zh-TW", "th"]) {
      const res = await call(
        previewAction,
        new Request(url(`/app/segments/preview?locale=${locale}`), {
          method: "POST",
          headers: { ...headers(), "content-type": "application/json" },
          body: JSON.stringify({ definition }),
        }),
      );
      expect(res.status).toBe(200);
      summaries[locale] = (await res.json()).preview.summary;
    }
    expect(summaries).toEqual({
      ja: "(過去2日以内に友だち追加した) または (Shopify顧客と連携済みの)友だち",
      "zh-TW": "(最近 2 天內加入好友) 或 (已綁定 Shopify 顧客)的好友",
      th: "เพื่อนที่(เพิ่มเพื่อนภายใน 2 วันที่ผ่านมา) หรือ (เชื่อมบัญชีกับลูกค้า Shopify แล้ว)",
    });
  });

  it("editor saves a two-group segment (count recalculated), list shows it, delete refused while used", async () => {
    const definition = {
      groups: [
        { conditions: [{ field: "friendAddedAt", op: "withinLastDays", value: 1 }] },
        { conditions: [{ field: "tag", op: "has", value: "VIP" }] },
      ],
    };
    const created = await call(
      editAction,
      new Request(url("/app/segments/new"), {
        method: "POST",
        headers: headers(),
        body: form({ intent: "save", name: "Fresh or VIP", folder: "Main", definition: JSON.stringify(definition) }),
      }),
      { id: "new" },
    );
    expect(created.status).toBe(302);
    const id = Number(created.headers.get("location")!.split("/").pop());
    const seg = await db().segment.findUniqueOrThrow({ where: { id } });
    expect(seg.memberCount).toBe(1);

    const loaded = await (
      await call(editLoader, new Request(url(`/app/segments/${id}`), { headers: headers() }), { id: String(id) })
    ).json();
    expect(loaded).toMatchObject({ name: "Fresh or VIP", folder: "Main", definition });

    const invalid = await call(
      editAction,
      new Request(url(`/app/segments/${id}`), {
        method: "POST",
        headers: headers(),
        body: form({ intent: "save", name: "x", definition: JSON.stringify({ groups: [{ conditions: [] }] }) }),
      }),
      { id: String(id) },
    );
    expect(invalid.status).toBe(422);
    expect((await invalid.json()).issues).toEqual([
      { path: "groups[0].conditions", code: "groupEmpty", message: "A group needs at least one condition" },
    ]);

    // The form's own refusals: one FormErrors map of message keys, at the fields.
    const taken = await call(
      editAction,
      new Request(url("/app/segments/new"), {
        method: "POST",
        headers: headers(),
        body: form({ intent: "save", name: " Fresh or VIP ", folder: "f".repeat(101), definition: JSON.stringify(definition) }),
      }),
      { id: "new" },
    );
    expect(taken.status).toBe(422);
    expect((await taken.json()).errors).toEqual({ folder: "segments.edit.errors.folderTooLong" });
    const duplicate = await call(
      editAction,
      new Request(url("/app/segments/new"), {
        method: "POST",
        headers: headers(),
        body: form({ intent: "save", name: " Fresh or VIP ", definition: JSON.stringify(definition) }),
      }),
      { id: "new" },
    );
    expect(duplicate.status).toBe(422);
    expect((await duplicate.json()).errors).toEqual({ name: "segments.errors.nameTaken" });
    const foreign = await call(
      listAction,
      new Request(url("/app/segments"), { method: "POST", headers: headers(), body: form({ intent: "delete", id: "2147483647" }) }),
    );
    expect(foreign.status).toBe(422);
    expect((await foreign.json()).errors).toEqual({ form: "segments.errors.notFound" });

    const list = await (await call(listLoader, new Request(url("/app/segments?q=fresh"), { headers: headers() }))).json();
    expect(list.segments.map((s: { name: string }) => s.name)).toEqual(["Fresh or VIP"]);

    await db().broadcast.create({ data: { shopId, name: "Spring sale", messages: [], audience: { segmentIds: [id] } } });
    const refused = await call(
      listAction,
      new Request(url("/app/segments"), { method: "POST", headers: headers(), body: form({ intent: "delete", id: String(id) }) }),
    );
    expect(refused.status).toBe(409);
    expect((await refused.json()).usedBy).toEqual([expect.objectContaining({ kind: "broadcast", name: "Spring sale", active: true })]);
  });
});

describe("tags route", () => {
  it("creates, lists with counts and usage, and asks before deleting a tag in use", async () => {
    const created = await call(
      tagsAction,
      new Request(url("/app/tags"), { method: "POST", headers: headers(), body: form({ intent: "create", name: "VIP", kind: "value" }) }),
    );
    expect(created.status).toBe(200);
    const data = await (await call(tagsLoader, new Request(url("/app/tags"), { headers: headers() }))).json();
    const vip = data.tags.find((t: { name: string }) => t.name === "VIP");
    expect(vip).toMatchObject({ kind: "value", friendCount: 0 });
    expect(vip.usage.segments.map((s: { name: string }) => s.name)).toEqual(["Fresh or VIP"]);
    const ask = await call(
      tagsAction,
      new Request(url("/app/tags"), { method: "POST", headers: headers(), body: form({ intent: "delete", id: String(vip.id) }) }),
    );
    expect(ask.status).toBe(409);
    expect((await ask.json()).confirmDelete.usedBy.segments).toHaveLength(1);
    const renamed = await call(
      tagsAction,
      new Request(url("/app/tags"), {
        method: "POST",
        headers: headers(),
        body: form({ intent: "rename", id: String(vip.id), name: "Gold" }),
      }),
    );
    expect(renamed.status).toBe(200);
    const empty = await call(
      tagsAction,
      new Request(url("/app/tags"), { method: "POST", headers: headers(), body: form({ intent: "create", name: "  " }) }),
    );
    expect(empty.status).toBe(422);
    expect((await empty.json()).errors).toEqual({ name: "tags.errors.nameRequired" });
    const clash = await call(
      tagsAction,
      new Request(url("/app/tags"), { method: "POST", headers: headers(), body: form({ intent: "create", name: "Gold" }) }),
    );
    expect(clash.status).toBe(422);
    expect((await clash.json()).errors).toEqual({ name: "tags.errors.nameTaken" });
    const noSegment = await call(
      tagsAction,
      new Request(url("/app/tags"), {
        method: "POST",
        headers: headers(),
        body: form({ intent: "rule", trigger: "segment_enter", match: "2147483647", tagId: String(vip.id) }),
      }),
    );
    expect(noSegment.status).toBe(422);
    expect((await noSegment.json()).errors).toEqual({ match: "tags.errors.segmentRequired" });
    const seg = await db().segment.findFirstOrThrow({ where: { shopId, name: "Fresh or VIP" } });
    expect(JSON.stringify(seg.definition)).toContain('"Gold"');
  });
});

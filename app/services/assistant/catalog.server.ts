// What the assistant may look up in a shop: friend tags, Shopify customer tags, products (by the
// titles customers bought them under), tracked-link tags and rich-menu areas. Bounded lists: the
// planner matches names in a goal, it does not need the long tail.
import type { Shop } from "@prisma/client";
import { db } from "~/db.server";
import { tagNames } from "~/db/tags.server";
import type { ShopCatalog } from "~/domain/assistant/planner";

export async function loadShopCatalog(shop: Pick<Shop, "id" | "currency">): Promise<ShopCatalog> {
  const shopId = shop.id;
  const [tags, shopifyTags, products, linkTags, menuAreas] = await Promise.all([
    tagNames(shopId, 1000),
    db().$queryRaw<Array<{ tag: string }>>`
      SELECT DISTINCT t AS tag FROM "Customer", unnest(tags) AS t WHERE "shopId" = ${shopId} ORDER BY 1 LIMIT 1000`,
    db().$queryRaw<Array<{ id: string; title: string }>>`
      SELECT DISTINCT ON ("productId") "productId"::text AS id, title FROM "OrderLine"
       WHERE "shopId" = ${shopId} AND "productId" IS NOT NULL ORDER BY "productId", "purchasedAt" DESC LIMIT 2000`,
    db().$queryRaw<Array<{ tag: string }>>`
      SELECT DISTINCT tag FROM "TrackedLink" WHERE "shopId" = ${shopId} AND tag IS NOT NULL ORDER BY 1 LIMIT 500`,
    db().$queryRaw<Array<{ area: string }>>`
      SELECT DISTINCT area FROM "RichMenuTap" WHERE "shopId" = ${shopId} AND area IS NOT NULL ORDER BY 1 LIMIT 500`,
  ]);
  return {
    tags: tags.map((t) => t.name),
    shopifyTags: shopifyTags.map((t) => t.tag),
    products: products.map((p) => ({ id: p.id, title: p.title })),
    linkTags: linkTags.map((t) => t.tag),
    menuAreas: menuAreas.map((a) => a.area),
    currency: shop.currency,
  };
}

// The shop's products as the app knows them: from the order lines it stored (title as last bought).
// The app keeps no product table: a product nobody bought cannot be in a "Product purchased"
// condition anyway. Pickers search them by title and show titles for stored ids.
import { db } from "~/db.server";

export interface ProductChoice {
  /** Shopify product id (numeric, as a string: BigInt in the database). */
  id: string;
  title: string;
}

/** Escape LIKE wildcards so a title with % or _ is searched literally. */
const likePattern = (s: string) => `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * Products whose latest title contains `query` (any case), by title, at most `limit` (≤ 50). An
 * empty query lists the most recently bought products.
 */
export async function searchProducts(shopId: number, query: string, limit = 20): Promise<ProductChoice[]> {
  const take = Math.min(Math.max(limit, 1), 50);
  const q = query.trim();
  const rows = await db().$queryRaw<ProductChoice[]>`
    SELECT id, title FROM (
      SELECT DISTINCT ON ("productId") "productId"::text AS id, title, "purchasedAt"
        FROM "OrderLine" WHERE "shopId" = ${shopId} AND "productId" IS NOT NULL
       ORDER BY "productId", "purchasedAt" DESC
    ) latest
     WHERE ${q} = '' OR title ILIKE ${likePattern(q)}
     ORDER BY CASE WHEN ${q} = '' THEN NULL ELSE title END, "purchasedAt" DESC
     LIMIT ${take}`;
  return rows;
}

/** Titles of the given product ids (those the shop has order lines for; unknown ids are left out). */
export async function productTitles(shopId: number, ids: string[]): Promise<ProductChoice[]> {
  const numeric = ids.filter((id) => /^\d{1,19}$/.test(id)).slice(0, 200);
  if (!numeric.length) return [];
  return db().$queryRaw<ProductChoice[]>`
    SELECT DISTINCT ON ("productId") "productId"::text AS id, title FROM "OrderLine"
     WHERE "shopId" = ${shopId} AND "productId" = ANY(${numeric}::bigint[])
     ORDER BY "productId", "purchasedAt" DESC`;
}

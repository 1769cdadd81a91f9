// Resource route for product pickers: GET ?q=<title text> → matching products; GET ?ids=1,2 →
// the titles of stored ids (ProductsQuery, app.products.schema.ts). Products come from the shop's
// stored order lines (app/db/products.server.ts).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { requireAdmin } from "~/adapters/shopify/admin-auth.server";
import { requireShop } from "~/db/shops.server";
import { productTitles, searchProducts } from "~/db/products.server";
import { parseSearchParams } from "~/domain/forms/parse";
import { ProductsQuery } from "./app.products.schema";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop: domain } = await requireAdmin(request);
  const shop = await requireShop(domain);
  const parsed = parseSearchParams(ProductsQuery, request);
  if (!parsed.ok) return json({ products: [], errors: parsed.errors }, { status: 400 });
  const { ids, q } = parsed.data;
  if (ids !== undefined) return json({ products: await productTitles(shop.id, ids) });
  return json({ products: await searchProducts(shop.id, q) });
};

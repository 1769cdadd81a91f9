// Resource route for product pickers: GET ?q=<title text> → matching products; GET ?ids=1,2 →
// the titles of stored ids. Products come from the shop's stored order lines (app/db/products.server.ts).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { requireAdmin } from "~/adapters/shopify/admin-auth.server";
import { requireShop } from "~/db/shops.server";
import { productTitles, searchProducts } from "~/db/products.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop: domain } = await requireAdmin(request);
  const shop = await requireShop(domain);
  const params = new URL(request.url).searchParams;
  const ids = params.get("ids");
  if (ids !== null) return json({ products: await productTitles(shop.id, ids.split(",")) });
  return json({ products: await searchProducts(shop.id, (params.get("q") ?? "").slice(0, 100)) });
};

// The menu's stored image, for the designer preview.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireAdmin } from "~/adapters/shopify/admin-auth.server";
import { requireShop } from "~/db/shops.server";
import { menuImage } from "~/services/rich-menus/menus.server";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { shop: domain } = await requireAdmin(request);
  const shop = await requireShop(domain);
  try {
    const { image, contentType } = await menuImage(shop.id, Number(params.id));
    return new Response(new Uint8Array(image), { headers: { "content-type": contentType, "cache-control": "private, max-age=0" } });
  } catch {
    return new Response("Not found", { status: 404 });
  }
};

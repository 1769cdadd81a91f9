// GET /app/friends/export — current links as CSV (same columns the import reads).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireAdmin } from "~/adapters/shopify/admin-auth.server";
import { requireShop } from "~/db/shops.server";
import { exportLinksCsv } from "~/services/linking/links-csv.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  const s = await requireShop(shop);
  return new Response(await exportLinksCsv(s.id), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="line-links-${s.domain}.csv"`,
      "Cache-Control": "no-store",
    },
  });
};

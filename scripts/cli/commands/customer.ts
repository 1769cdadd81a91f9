import type { CliCommand } from "../types";
import { UsageError, requireString } from "../types";
import { requireShop } from "../../../app/db/shops.server";
import { getCustomerView } from "../../../app/services/ingestion/customer-view.server";

export const command: CliCommand = {
  name: "customer:show",
  description: "Print a customer's facts, products, checkouts, LINE link and friend (JSON)",
  options: {
    shop: { type: "string", required: true, description: "shop domain, e.g. demo.myshopify.com" },
    customer: { type: "string", required: true, description: "Shopify customer id (numeric or gid://shopify/Customer/<id>)" },
  },
  async run(args) {
    const shop = await requireShop(requireString(args, "shop"));
    const raw = requireString(args, "customer");
    const m = /(\d+)$/.exec(raw);
    if (!m) throw new UsageError("--customer must be a Shopify customer id");
    const view = await getCustomerView(shop.id, BigInt(m[1]));
    if (!view) throw new Error(`Unknown customer ${m[1]} in ${shop.domain}`);
    return view;
  },
};

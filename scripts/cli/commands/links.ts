// links:import / links:export / links:unlink — CSV columns shopify_customer_id,line_user_id (docs/linking.md).
import fs from "node:fs";
import type { CliCommand } from "../types";
import { requireString, UsageError } from "../types";
import { requireShop } from "../../../app/db/shops.server";
import { db } from "../../../app/db.server";
import { exportLinksCsv, importLinksCsv } from "../../../app/services/linking/links-csv.server";
import { unlinkFriend } from "../../../app/services/linking/links.server";

export const commands: CliCommand[] = [
  {
    name: "links:import",
    description: "Import Shopify customer ↔ LINE user links from a CSV (columns shopify_customer_id,line_user_id)",
    options: {
      shop: { type: "string", required: true, description: "shop domain" },
      file: { type: "string", required: true, description: "CSV file" },
    },
    async run(args) {
      const shop = await requireShop(requireString(args, "shop"));
      const file = requireString(args, "file");
      if (!fs.existsSync(file)) throw new UsageError(`No such file: ${file}`);
      const r = await importLinksCsv(shop.id, fs.readFileSync(file, "utf8"));
      if (r.errors.length) process.exitCode = 1;
      return r;
    },
  },
  {
    name: "links:export",
    description: "Export current links as CSV (to --file, or inside the JSON output)",
    options: {
      shop: { type: "string", required: true, description: "shop domain" },
      file: { type: "string", description: "write the CSV here" },
    },
    async run(args) {
      const shop = await requireShop(requireString(args, "shop"));
      const csv = await exportLinksCsv(shop.id);
      const links = Math.max(0, csv.trim().split("\n").length - 1);
      if (typeof args.file === "string") {
        fs.writeFileSync(args.file, csv);
        return { exported: links, file: args.file };
      }
      return { exported: links, csv };
    },
  },
  {
    name: "links:unlink",
    description: "Unlink a LINE friend from its Shopify customer (merchant unlink)",
    options: {
      shop: { type: "string", required: true, description: "shop domain" },
      user: { type: "string", required: true, description: "LINE user id" },
    },
    async run(args) {
      const shop = await requireShop(requireString(args, "shop"));
      const friend = await db().friend.findUnique({
        where: { shopId_lineUserId: { shopId: shop.id, lineUserId: requireString(args, "user") } },
      });
      if (!friend) throw new UsageError("No such friend");
      return { result: await unlinkFriend(shop.id, friend.id, "merchant") };
    },
  },
];

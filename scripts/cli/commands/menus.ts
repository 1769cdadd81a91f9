// Rich-menu commands: create/publish menus, list rules, explain a friend's menu, bulk apply, reconcile.
import type { CliCommand } from "../types";
import { UsageError, requireString } from "../types";
import { requireShop } from "../../../app/db/shops.server";
import { db } from "../../../app/db.server";
import { createMenuFromTemplate, generateImageFor } from "../../../app/services/rich-menus/menus.server";
import { publishMenu } from "../../../app/services/rich-menus/publish.server";
import { describeRules, findMenuFriends, whichMenuFor } from "../../../app/services/rich-menus/rules.server";
import { startApplyRun } from "../../../app/services/rich-menus/apply.server";
import { reconcileShop } from "../../../app/services/rich-menus/reconcile.server";
import { MENU_TEMPLATES } from "../../../app/domain/rich-menus/templates";

const shopOpt = { type: "string", required: true, description: "shop domain" } as const;

export const commands: CliCommand[] = [
  {
    name: "menu:create",
    description: "Create a rich menu from a LINE template with a generated image (optionally publish it)",
    options: {
      shop: shopOpt,
      name: { type: "string", required: true, description: "menu name" },
      template: { type: "string", description: `layout: ${MENU_TEMPLATES.map((t) => t.id).join(", ")} (default large-6)` },
      labels: { type: "string", description: 'comma-separated area labels, e.g. "Shop,Cart,Talk to us"' },
      "chat-bar": { type: "string", description: "chat bar text (≤14 characters)" },
      publish: { type: "boolean", description: "publish to LINE after creating" },
    },
    async run(args) {
      const shop = await requireShop(requireString(args, "shop"));
      const template = (args.template as string | undefined) ?? "large-6";
      if (!MENU_TEMPLATES.some((t) => t.id === template))
        throw new UsageError(`--template must be one of ${MENU_TEMPLATES.map((t) => t.id).join(", ")}`);
      const labels = typeof args.labels === "string" ? args.labels.split(",").map((s) => s.trim()) : undefined;
      const menu = await createMenuFromTemplate({
        shopId: shop.id,
        name: requireString(args, "name"),
        template,
        labels,
        chatBarText: args["chat-bar"] as string | undefined,
      });
      const image = await generateImageFor(shop.id, menu.id);
      const published = args.publish ? await publishMenu(shop.id, menu.id) : null;
      return { id: menu.id, name: menu.name, template, image, published };
    },
  },
  {
    name: "menu:publish",
    description: "Publish (or re-publish) a rich menu to LINE",
    options: { shop: shopOpt, id: { type: "string", required: true, description: "menu id" } },
    async run(args) {
      const shop = await requireShop(requireString(args, "shop"));
      return publishMenu(shop.id, Number(requireString(args, "id")));
    },
  },
  {
    name: "menu:rules",
    description: "List the shop's menu rules in priority order and its menus",
    options: { shop: shopOpt },
    async run(args) {
      const shop = await requireShop(requireString(args, "shop"));
      const menus = await db().richMenu.findMany({
        where: { shopId: shop.id },
        select: { id: true, name: true, status: true, isDefault: true, lineRichMenuId: true },
        orderBy: { id: "asc" },
      });
      return { rules: await describeRules(shop.id), menus };
    },
  },
  {
    name: "menu:which",
    description: "Which menu a friend should see now, and why",
    options: { shop: shopOpt, "line-user": { type: "string", required: true, description: "LINE user id (or display name)" } },
    async run(args) {
      const shop = await requireShop(requireString(args, "shop"));
      const matches = await findMenuFriends(shop.id, requireString(args, "line-user"));
      if (!matches.length) throw new UsageError("No such friend");
      // Display names are not unique: several matches are listed for the caller to pick by LINE user id.
      if (matches.length > 1) return { matches };
      return whichMenuFor(shop.id, matches[0]!.id);
    },
  },
  {
    name: "menu:apply",
    description: "Start a bulk apply of the rules to every friend (runs in the worker); prints the run id",
    options: { shop: shopOpt },
    async run(args) {
      const shop = await requireShop(requireString(args, "shop"));
      const run = await startApplyRun(shop.id);
      return { runId: run.id, total: run.total, status: run.status };
    },
  },
  {
    name: "menu:reconcile",
    description: "Compare LINE's per-user menus with the wanted ones for a sample of friends and repair drift",
    options: { shop: shopOpt, sample: { type: "string", description: "friends to sample (default 200)" } },
    async run(args) {
      const shop = await requireShop(requireString(args, "shop"));
      return reconcileShop(shop.id, { sample: args.sample ? Number(args.sample) : undefined });
    },
  },
];

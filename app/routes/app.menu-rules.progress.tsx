// Polled by the Menu rules screen while "Apply now" runs.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { requireAdmin } from "~/adapters/shopify/admin-auth.server";
import { requireShop } from "~/db/shops.server";
import { applyRunStatus } from "~/services/rich-menus/apply.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop: domain } = await requireAdmin(request);
  const shop = await requireShop(domain);
  const runId = Number(new URL(request.url).searchParams.get("run")) || undefined;
  const run = await applyRunStatus(shop.id, runId);
  return json(run ? { id: run.id, status: run.status, total: run.total, done: run.done, moved: run.moved, error: run.error } : null);
};

import type { CliCommand } from "../types";
import { requireString } from "../types";
import { startBackfill } from "../../../app/services/ingestion/backfill.server";

export const command: CliCommand = {
  name: "backfill:run",
  description: "Start a backfill (customers, orders, abandoned checkouts) via bulk operations; the worker runs it",
  options: {
    shop: { type: "string", required: true, description: "shop domain, e.g. demo.myshopify.com" },
  },
  async run(args) {
    const r = await startBackfill(requireString(args, "shop"));
    return { status: r.status, runId: r.run.id, kind: r.run.kind };
  },
};

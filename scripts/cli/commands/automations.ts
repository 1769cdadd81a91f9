// Automation commands: settings (ISO-8601 delays so tests and the sandbox can use seconds), the
// shared messaging policy, and the reminders list. JSON output.
import type { CliCommand } from "../types";
import { UsageError, requireString } from "../types";
import { requireShop } from "../../../app/db/shops.server";
import { parseIsoDuration } from "../../../app/domain/messaging/duration";
import { parseClock } from "../../../app/domain/time/zoned";
import { ABANDONED_CART } from "../../../app/domain/reminders/abandoned-cart";
import { loadAbandonedCartSettings, saveAbandonedCartSettings } from "../../../app/db/settings/abandoned-cart.server";
import { abandonedCartResults, listReminders } from "../../../app/services/automations/abandoned-cart.server";
import { loadMessagingPolicy, saveMessagingPolicy } from "../../../app/db/settings/messaging-policy.server";
import { friendMessageHistory } from "../../../app/services/messaging/send.server";

const shopOpt = { type: "string", required: true, description: "shop domain" } as const;
const kindOpt = { type: "string", required: true, description: `automation kind (${ABANDONED_CART})` } as const;

function bool(v: unknown, name: string): boolean | undefined {
  if (v === undefined) return undefined;
  if (v === true || v === "true") return true;
  if (v === false || v === "false") return false;
  throw new UsageError(`--${name} must be true or false`);
}

function requireKind(args: Record<string, unknown>) {
  const kind = requireString(args, "kind").replace(/-/g, "_");
  if (kind !== ABANDONED_CART) throw new UsageError(`--kind must be ${ABANDONED_CART}`);
  return kind;
}

export const commands: CliCommand[] = [
  {
    name: "automation:set",
    description: "Change an automation's settings and the shared quiet hours / frequency cap",
    options: {
      shop: shopOpt,
      kind: kindOpt,
      enabled: { type: "string", description: "true | false" },
      delay: { type: "string", description: "ISO-8601 duration after the last checkout update, e.g. PT1H, PT30S" },
      "switch-menu": { type: "string", description: "true | false: ask the rich-menu rules to switch to the cart menu" },
      "max-age": { type: "string", description: "ISO-8601 duration: older checkouts never get a reminder (default P7D)" },
      "quiet-hours": { type: "string", description: 'shop-wide quiet hours "21:00-09:00" (shop time zone), or "off"' },
      cap: { type: "string", description: 'shop-wide marketing frequency cap "2/7" (max per days), or "off"' },
    },
    async run(args) {
      const shop = await requireShop(requireString(args, "shop"));
      requireKind(args);
      const config: Record<string, unknown> = {};
      if (typeof args.delay === "string") {
        if (parseIsoDuration(args.delay) === null) throw new UsageError("--delay must be an ISO-8601 duration such as PT1H or PT30S");
        config.delay = args.delay.toUpperCase();
      }
      if (typeof args["max-age"] === "string") {
        if (parseIsoDuration(args["max-age"]) === null) throw new UsageError("--max-age must be an ISO-8601 duration such as P7D");
        config.maxAge = args["max-age"].toUpperCase();
      }
      const sw = bool(args["switch-menu"], "switch-menu");
      if (sw !== undefined) config.switchMenu = sw;
      const settings = await saveAbandonedCartSettings(shop.id, { enabled: bool(args.enabled, "enabled"), config });
      const policy = await loadMessagingPolicy(shop);
      let changed = false;
      if (typeof args["quiet-hours"] === "string") {
        changed = true;
        if (args["quiet-hours"] === "off") policy.quietHours = null;
        else {
          const [start, end] = args["quiet-hours"].split("-").map((s) => s.trim());
          if (parseClock(start) === null || parseClock(end) === null)
            throw new UsageError('--quiet-hours must look like "21:00-09:00" or "off"');
          policy.quietHours = { start: start!, end: end! };
        }
      }
      if (typeof args.cap === "string") {
        changed = true;
        if (args.cap === "off") policy.frequencyCap = null;
        else {
          const m = /^(\d+)\/(\d+)$/.exec(args.cap);
          if (!m) throw new UsageError('--cap must look like "2/7" (max messages / days) or "off"');
          policy.frequencyCap = { max: Number(m[1]), windowDays: Number(m[2]) };
        }
      }
      if (changed) await saveMessagingPolicy(shop.id, policy);
      return { shop: shop.domain, kind: ABANDONED_CART, ...settings, policy };
    },
  },
  {
    name: "automation:show",
    description: "Print an automation's settings, the shared policy and its results",
    options: { shop: shopOpt, kind: kindOpt },
    async run(args) {
      const shop = await requireShop(requireString(args, "shop"));
      requireKind(args);
      return {
        shop: shop.domain,
        kind: ABANDONED_CART,
        ...(await loadAbandonedCartSettings(shop.id)),
        policy: await loadMessagingPolicy(shop),
        results: await abandonedCartResults(shop.id),
      };
    },
  },
  {
    name: "reminders:list",
    description: "List reminders (newest first)",
    options: {
      shop: shopOpt,
      status: { type: "string", description: "scheduled | sent | cancelled | skipped | failed" },
      kind: { type: "string", description: "reminder kind, e.g. abandoned_cart" },
      limit: { type: "string", description: "max rows (default 100)" },
    },
    async run(args) {
      const shop = await requireShop(requireString(args, "shop"));
      const rows = await listReminders(shop.id, {
        status: args.status as string | undefined,
        kind: args.kind as string | undefined,
        limit: args.limit ? Number(args.limit) : undefined,
      });
      return rows.map((r) => ({ ...r, recoveredRevenue: r.recoveredRevenue === null ? null : Number(r.recoveredRevenue) }));
    },
  },
  {
    name: "messages:history",
    description: "A friend's message history (every send recorded, newest first)",
    options: { shop: shopOpt, friend: { type: "string", required: true, description: "friend id" } },
    async run(args) {
      const shop = await requireShop(requireString(args, "shop"));
      const id = Number(requireString(args, "friend"));
      if (!Number.isInteger(id) || id <= 0) throw new UsageError("--friend must be a friend id");
      return friendMessageHistory(shop.id, id);
    },
  },
];

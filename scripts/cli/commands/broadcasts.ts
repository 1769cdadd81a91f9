// Broadcast commands: create, estimate, send (or schedule), cancel, report. JSON out.
import type { CliCommand } from "../types";
import { UsageError, requireString } from "../types";
import { requireShop } from "../../../app/db/shops.server";
import { db } from "../../../app/db.server";
import {
  BroadcastError,
  broadcastReport,
  cancelBroadcast,
  createBroadcast,
  estimateBroadcast,
  getBroadcast,
  pickAbWinner,
  sendBroadcast,
} from "../../../app/services/broadcasts/broadcasts.server";

async function segmentIds(shopId: number, refs: unknown): Promise<number[]> {
  const list = Array.isArray(refs) ? refs : typeof refs === "string" ? [refs] : [];
  const out: number[] = [];
  for (const ref of list as string[]) {
    const seg = /^\d+$/.test(ref)
      ? await db().segment.findFirst({ where: { shopId, id: Number(ref) } })
      : await db().segment.findFirst({ where: { shopId, name: ref } });
    if (!seg) throw new UsageError(`Unknown segment "${ref}"`);
    out.push(seg.id);
  }
  return out;
}

const idOf = (args: Record<string, unknown>) => {
  const id = Number(requireString(args, "id"));
  if (!Number.isInteger(id) || id <= 0) throw new UsageError("--id must be a broadcast id");
  return id;
};

type Wrapped<T> = { ok: true; value: T } | { ok: false; error: string; message: string; details?: unknown };
const wrap = async <T>(fn: () => Promise<T>): Promise<Wrapped<T>> => {
  try {
    return { ok: true, value: await fn() };
  } catch (err) {
    if (err instanceof BroadcastError) return { ok: false, error: err.code, message: err.message, details: err.details };
    throw err;
  }
};
const failure = <T>(w: Wrapped<T>) => (w.ok ? null : { error: w.error, message: w.message, details: w.details });

export const commands: CliCommand[] = [
  {
    name: "broadcast:create",
    description: "Create a text broadcast to segments (minus exclusions); --schedule sends at an ISO time",
    options: {
      shop: { type: "string", required: true, description: "shop domain" },
      name: { type: "string", required: true, description: "broadcast name" },
      text: { type: "string", required: true, description: "message text ({{displayName|there}} allowed)" },
      segment: { type: "string", multiple: true, description: "segment id or name (repeatable)" },
      exclude: { type: "string", multiple: true, description: "segment id or name to exclude (repeatable)" },
      all: { type: "boolean", description: "all friends instead of segments" },
      schedule: { type: "string", description: "ISO time to send at (schedules immediately)" },
      "confirm-over-quota": { type: "boolean", description: "with --schedule: accept exceeding the quota" },
      "variant-b-text": { type: "string", description: "A/B test: variant B's text (--text is variant A)" },
      "variant-c-text": { type: "string", description: "A/B test: optional variant C's text" },
      "test-share": { type: "string", description: "A/B: share of the audience in the test, 0–1 (default 0.2)" },
      metric: { type: "string", description: "A/B: click | order (default click)" },
      "decide-after-hours": { type: "string", description: "A/B: pick the winner this many hours after sending (default 4)" },
      "send-winner-to-rest": { type: "boolean", description: "A/B: send the winner to the holdout once decided" },
    },
    async run(args) {
      const shop = await requireShop(requireString(args, "shop"));
      const include = await segmentIds(shop.id, args.segment);
      const exclude = await segmentIds(shop.id, args.exclude);
      if (!args.all && !include.length) throw new UsageError("--segment or --all is required");
      const text = requireString(args, "text");
      let ab: Parameters<typeof createBroadcast>[0]["ab"];
      if (typeof args["variant-b-text"] === "string") {
        const num = (k: string, dflt: number) => {
          if (args[k] === undefined) return dflt;
          const n = Number(args[k]);
          if (!Number.isFinite(n)) throw new UsageError(`--${k} must be a number`);
          return n;
        };
        const metric = args.metric ?? "click";
        if (metric !== "click" && metric !== "order") throw new UsageError("--metric must be click or order");
        const texts = [text, args["variant-b-text"], ...(typeof args["variant-c-text"] === "string" ? [args["variant-c-text"]] : [])];
        ab = {
          variants: texts.map((t) => [{ type: "text", text: t }]),
          testShare: num("test-share", 0.2),
          metric,
          decideAfterHours: num("decide-after-hours", 4),
          sendWinnerToRest: Boolean(args["send-winner-to-rest"]),
        };
      }
      const created = await wrap(() =>
        createBroadcast({
          shopId: shop.id,
          name: requireString(args, "name"),
          messages: [{ type: "text", text }],
          audience: { segmentIds: include, excludeSegmentIds: exclude, allFriends: Boolean(args.all) },
          ab,
        }),
      );
      if (!created.ok) return failure(created);
      const b = created.value;
      if (typeof args.schedule === "string") {
        const at = new Date(args.schedule);
        if (Number.isNaN(at.getTime())) throw new UsageError("--schedule must be an ISO date-time");
        const r = await wrap(() => sendBroadcast(shop, b.id, { scheduledAt: at, confirmOverQuota: Boolean(args["confirm-over-quota"]) }));
        if (!r.ok) return { id: b.id, ...failure(r) };
        return { id: b.id, status: r.value.broadcast.status, scheduledAt: r.value.broadcast.scheduledAt, estimate: r.value.estimate };
      }
      return {
        id: b.id,
        status: "draft",
        estimate: await estimateBroadcast(shop, { segmentIds: include, excludeSegmentIds: exclude, allFriends: Boolean(args.all) }),
      };
    },
  },
  {
    name: "broadcast:estimate",
    description: "Recipients, messages, remaining quota and cost of a broadcast right now",
    options: {
      shop: { type: "string", required: true, description: "shop domain" },
      id: { type: "string", required: true, description: "broadcast id" },
    },
    async run(args) {
      const shop = await requireShop(requireString(args, "shop"));
      const b = await getBroadcast(shop.id, idOf(args));
      return estimateBroadcast(shop, b.audience);
    },
  },
  {
    name: "broadcast:send",
    description: "Send a draft broadcast now (refused over quota unless --confirm-over-quota or --trim-to-fit)",
    options: {
      shop: { type: "string", required: true, description: "shop domain" },
      id: { type: "string", required: true, description: "broadcast id" },
      "confirm-over-quota": { type: "boolean", description: "send even if it exceeds the remaining quota" },
      "trim-to-fit": { type: "boolean", description: "trim the audience to the remaining quota (most recently active first)" },
    },
    async run(args) {
      const shop = await requireShop(requireString(args, "shop"));
      const r = await wrap(() =>
        sendBroadcast(shop, idOf(args), { confirmOverQuota: Boolean(args["confirm-over-quota"]), trimToFit: Boolean(args["trim-to-fit"]) }),
      );
      return r.ok ? { id: r.value.broadcast.id, status: r.value.broadcast.status, estimate: r.value.estimate } : failure(r);
    },
  },
  {
    name: "broadcast:cancel",
    description: "Cancel a scheduled (or in-progress) broadcast",
    options: {
      shop: { type: "string", required: true, description: "shop domain" },
      id: { type: "string", required: true, description: "broadcast id" },
    },
    async run(args) {
      const shop = await requireShop(requireString(args, "shop"));
      const r = await wrap(() => cancelBroadcast(shop.id, idOf(args)));
      return r.ok ? { id: r.value.id, status: r.value.status } : failure(r);
    },
  },
  {
    name: "broadcast:report",
    description: "Targeted, sent, failed (with reasons), clicks, orders and revenue of a broadcast",
    options: {
      shop: { type: "string", required: true, description: "shop domain" },
      id: { type: "string", required: true, description: "broadcast id" },
    },
    async run(args) {
      const shop = await requireShop(requireString(args, "shop"));
      return broadcastReport(shop.id, idOf(args));
    },
  },
  {
    name: "broadcast:pick-winner",
    description: "A/B test: decide the winner now (idempotent; sends the winner to the holdout if the test says so)",
    options: {
      shop: { type: "string", required: true, description: "shop domain" },
      id: { type: "string", required: true, description: "broadcast id" },
    },
    async run(args) {
      const shop = await requireShop(requireString(args, "shop"));
      const b = await getBroadcast(shop.id, idOf(args));
      return pickAbWinner(b.id);
    },
  },
];

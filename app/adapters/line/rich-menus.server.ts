// Rich-menu calls to LINE, behind per-channel, per-endpoint rate limits and 429 back-off.
//
// LINE's limits are per channel and per endpoint (developers.line.biz/en/reference/messaging-api/
// #rate-limits; shared/reference/line-platform-facts.md §5): 2,000 req/s for link/unlink (single
// and bulk), 100/hour for create/delete. The Bull limiter on the line-outbound queue is one number
// for every job on the queue, so it cannot express per-endpoint limits; instead each call takes a
// slot from a fixed one-second window counted in Redis (INCR + PEXPIRE), keyed by channel and
// endpoint. Redis (not process memory) because several workers share one channel's budget.
// Creations are additionally budgeted per hour by the publishing service (MenuCreationLog).
import type { messagingApi } from "@line/bot-sdk";
import { lineClients, classifyLineError, LineError } from "~/adapters/line/client.server";
import { queue } from "~/adapters/queue/queues.server";
import { env } from "~/config/env.server";
import type { LineRichMenuRequest } from "~/domain/rich-menus/compile-action";

const BULK_LINK_MAX = 500;

/** Per-second limits we hold ourselves to (LINE's documented defaults). */
const PER_SECOND_LIMITS: Record<string, number> = {
  link: 2000,
  bulkLink: 2000,
  read: 2000,
  alias: 2000,
  default: 2000,
  image: 2000,
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function acquire(channelId: string, endpoint: string): Promise<void> {
  const limit = PER_SECOND_LIMITS[endpoint] ?? 2000;
  const redis = queue("line-outbound").client;
  for (;;) {
    const now = Date.now();
    const key = `${env().QUEUE_PREFIX}:line-rl:${channelId}:${endpoint}:${Math.floor(now / 1000)}`;
    const res = await redis.multi().incr(key).pexpire(key, 2000).exec();
    const n = Number(res?.[0]?.[1] ?? 0);
    if (n <= limit) return;
    await sleep(1000 - (now % 1000) + 2);
  }
}

/**
 * Runs a LINE call under the endpoint's limit; when rate-limited backs off (honouring Retry-After) a
 * few times. A failure is thrown as a classified LineError.
 */
async function call<T>(channelId: string, endpoint: string, fn: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    await acquire(channelId, endpoint);
    try {
      return await fn();
    } catch (err) {
      const c = classifyLineError(err);
      if (c.kind === "rate-limited" && attempt < 4) {
        await sleep(c.retryAfterMs ?? 250 * 2 ** attempt);
        continue;
      }
      throw new LineError(c);
    }
  }
}

/** LINE answered 404 (no such menu, alias or per-user link) to a call run by `call`. */
function isNotFound(err: unknown): boolean {
  return err instanceof LineError && err.failure.status === 404;
}

/** LINE answered 400 or 404: how it answers an alias it does not know ("richmenu alias not found"). */
function isUnknownAlias(err: unknown): boolean {
  return err instanceof LineError && (err.failure.status === 404 || err.failure.status === 400);
}

export class LineRichMenuApi {
  private readonly messaging: messagingApi.MessagingApiClient;
  private readonly blob: messagingApi.MessagingApiBlobClient;
  constructor(
    readonly channelId: string,
    channelAccessToken: string,
  ) {
    const c = lineClients(channelAccessToken);
    this.messaging = c.messaging;
    this.blob = c.blob;
  }

  async list(): Promise<Array<{ richMenuId: string; name: string }>> {
    const r = await call(this.channelId, "read", () => this.messaging.getRichMenuList());
    return r.richmenus.map((m) => ({ richMenuId: m.richMenuId, name: m.name }));
  }

  async create(menu: LineRichMenuRequest): Promise<string> {
    const r = await call(this.channelId, "create", () => this.messaging.createRichMenu(menu as messagingApi.RichMenuRequest));
    return r.richMenuId;
  }

  uploadImage(richMenuId: string, image: Buffer, contentType: string): Promise<unknown> {
    return call(this.channelId, "image", () =>
      this.blob.setRichMenuImage(richMenuId, new Blob([new Uint8Array(image)], { type: contentType })),
    );
  }

  /** Deletes a menu; a menu that is already gone counts as deleted. */
  async delete(richMenuId: string): Promise<void> {
    try {
      await call(this.channelId, "delete", () => this.messaging.deleteRichMenu(richMenuId));
    } catch (err) {
      if (isNotFound(err)) return;
      throw err;
    }
  }

  /** Points the alias at the menu, creating it when it does not exist yet. */
  async setAlias(aliasId: string, richMenuId: string): Promise<void> {
    try {
      await call(this.channelId, "alias", () => this.messaging.updateRichMenuAlias(aliasId, { richMenuId }));
    } catch (err) {
      if (!isUnknownAlias(err)) throw err;
      await call(this.channelId, "alias", () => this.messaging.createRichMenuAlias({ richMenuAliasId: aliasId, richMenuId }));
    }
  }

  async deleteAlias(aliasId: string): Promise<void> {
    try {
      await call(this.channelId, "alias", () => this.messaging.deleteRichMenuAlias(aliasId));
    } catch (err) {
      if (isUnknownAlias(err)) return;
      throw err;
    }
  }

  setDefault(richMenuId: string): Promise<unknown> {
    return call(this.channelId, "default", () => this.messaging.setDefaultRichMenu(richMenuId));
  }

  async getDefault(): Promise<string | null> {
    try {
      return (await call(this.channelId, "read", () => this.messaging.getDefaultRichMenuId())).richMenuId;
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
  }

  link(userId: string, richMenuId: string): Promise<unknown> {
    return call(this.channelId, "link", () => this.messaging.linkRichMenuIdToUser(userId, richMenuId));
  }

  unlink(userId: string): Promise<unknown> {
    return call(this.channelId, "link", () => this.messaging.unlinkRichMenuIdFromUser(userId));
  }

  linkMany(userIds: string[], richMenuId: string): Promise<unknown> {
    if (userIds.length < 1 || userIds.length > BULK_LINK_MAX) throw new Error(`bulk link takes 1–${BULK_LINK_MAX} users`);
    return call(this.channelId, "bulkLink", () => this.messaging.linkRichMenuIdToUsers({ richMenuId, userIds }));
  }

  unlinkMany(userIds: string[]): Promise<unknown> {
    if (userIds.length < 1 || userIds.length > BULK_LINK_MAX) throw new Error(`bulk unlink takes 1–${BULK_LINK_MAX} users`);
    return call(this.channelId, "bulkLink", () => this.messaging.unlinkRichMenuIdFromUsers({ userIds }));
  }

  /** The user's per-user menu, or null when they have none (LINE answers 404). */
  async userMenu(userId: string): Promise<string | null> {
    try {
      return (await call(this.channelId, "read", () => this.messaging.getRichMenuIdOfUser(userId))).richMenuId;
    } catch (err) {
      if (isNotFound(err)) return null;
      throw err;
    }
  }
}

/** Splits into chunks of at most `size` (bulk link takes ≤500 users per call). */
export function chunks<T>(items: T[], size = BULK_LINK_MAX): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

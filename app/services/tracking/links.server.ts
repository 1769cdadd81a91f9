// Tracked links: create short codes, sign friend tokens, record a click with one INSERT.
// The redirect never touches the queue so it keeps working while the worker is down.
import crypto from "node:crypto";
import { Prisma } from "@prisma/client";
import { db } from "~/db.server";
import { insertClick } from "./click-store.server";
import { env } from "~/config/env.server";
import {
  codeFromBytes,
  extractUrls,
  formatFriendToken,
  friendTokenPayload,
  parseFriendToken,
  redirectTarget,
  shortUrl,
  type TrackedSourceType,
} from "~/domain/tracking/links";
import { clickWindow, friendVisitor, isHumanClick } from "~/domain/tracking/clicks";

let cachedKey: Buffer | undefined;
function tokenKey(): Buffer {
  // Derived from the app secret: rotating it only invalidates friend attribution of old links.
  cachedKey ??= crypto.createHmac("sha256", env().SHOPIFY_API_SECRET).update("tracked-link-friend-token").digest();
  return cachedKey;
}

export function signFriendToken(friendId: number): string {
  const sig = crypto.createHmac("sha256", tokenKey()).update(friendTokenPayload(friendId)).digest("hex").slice(0, 16);
  return formatFriendToken(friendId, sig);
}

function verifyFriendToken(token: string | null | undefined): number | null {
  const parsed = parseFriendToken(token);
  if (!parsed) return null;
  const expected = signFriendToken(parsed.friendId).split(".")[1]!;
  const ok = crypto.timingSafeEqual(Buffer.from(expected), Buffer.from(parsed.sig));
  return ok ? parsed.friendId : null;
}

export type CreateTrackedLinkInput = {
  shopId: number;
  url: string;
  sourceType: TrackedSourceType;
  sourceId?: number | null;
  area?: string | null;
  tag?: string | null;
};

/** The TrackedLink row for `input` under a new random code (8 bytes; `taken` codes are drawn again). */
function linkRow(input: CreateTrackedLinkInput, taken?: ReadonlySet<string>) {
  let code = codeFromBytes(crypto.randomBytes(8));
  while (taken?.has(code)) code = codeFromBytes(crypto.randomBytes(8));
  return {
    shopId: input.shopId,
    code,
    url: input.url,
    sourceType: input.sourceType,
    sourceId: input.sourceId ?? null,
    area: input.area ?? null,
    tag: input.tag ?? null,
  };
}

export async function createTrackedLink(input: CreateTrackedLinkInput): Promise<{ id: number; code: string; shortUrl: string }> {
  new URL(input.url); // throws on a malformed URL
  for (let attempt = 0; ; attempt++) {
    const data = linkRow(input);
    try {
      const row = await db().trackedLink.create({ data });
      return { id: row.id, code: data.code, shortUrl: shortUrl(env().SHOPIFY_APP_URL, data.code) };
    } catch (err) {
      if (attempt < 5 && err instanceof Prisma.PrismaClientKnownRequestError && err.code === "P2002") continue;
      throw err;
    }
  }
}

/**
 * Many tracked links in one INSERT (a batch of reminders): answers { id, code, shortUrl } in input
 * order. Throws (TypeError) on a malformed URL before anything is written. A code that turns out to
 * be taken (8 random bytes: practically never) is created again alone by createTrackedLink.
 */
export async function createTrackedLinks(inputs: CreateTrackedLinkInput[]): Promise<Array<{ id: number; code: string; shortUrl: string }>> {
  for (const input of inputs) new URL(input.url);
  const codes = new Set<string>();
  const data = inputs.map((input) => {
    const row = linkRow(input, codes);
    codes.add(row.code);
    return row;
  });
  const created = data.length
    ? new Map(
        (await db().trackedLink.createManyAndReturn({ data, skipDuplicates: true, select: { id: true, code: true } })).map((r) => [
          r.code,
          r.id,
        ]),
      )
    : new Map<string, number>();
  const out: Array<{ id: number; code: string; shortUrl: string }> = [];
  for (const [k, row] of data.entries()) {
    const id = created.get(row.code);
    out.push(
      id !== undefined ? { id, code: row.code, shortUrl: shortUrl(env().SHOPIFY_APP_URL, row.code) } : await createTrackedLink(inputs[k]!),
    );
  }
  return out;
}

/**
 * Replace every URL in a text with a tracked short URL (one link per distinct URL and source).
 * Returns the rewritten text; `friendId` appends the signed token (personalised messages only).
 */
export async function trackUrlsInText(
  text: string,
  source: Omit<CreateTrackedLinkInput, "url">,
  cache: Map<string, string> = new Map(),
): Promise<string> {
  let out = text;
  for (const url of extractUrls(text)) {
    if (url.startsWith(`${env().SHOPIFY_APP_URL.replace(/\/$/, "")}/r/`)) continue;
    let short = cache.get(url);
    if (!short) {
      short = (await createTrackedLink({ ...source, url })).shortUrl;
      cache.set(url, short);
    }
    out = out.split(url).join(short);
  }
  return out;
}

/** Append a friend token to every tracked short URL in a text (used when rendering per recipient). */
export function personaliseTrackedUrls(text: string, friendId: number): string {
  const base = `${env().SHOPIFY_APP_URL.replace(/\/$/, "")}/r/`;
  const token = encodeURIComponent(signFriendToken(friendId));
  const re = new RegExp(`${base.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}([A-Za-z0-9]+)(?![?A-Za-z0-9])`, "g");
  return text.replace(re, (_m, code: string) => `${base}${code}?f=${token}`);
}

/**
 * Record a click and return where to send the browser (null: unknown code), in one statement.
 * Counting (domain/tracking/clicks.ts): bots are not logged; a visitor — the signed friend, else a
 * hash of the client address and user agent (no raw address is stored) — counts once per link per
 * click window. `clientAddress` is the ingress's CLIENT_ADDRESS_HEADER (never a client-sent header).
 */
export async function recordClick(
  code: string,
  opts: { friendToken?: string | null; userAgent?: string | null; clientAddress?: string | null; query?: URLSearchParams },
  now = new Date(),
): Promise<string | null> {
  const friendId = verifyFriendToken(opts.friendToken);
  const userAgent = opts.userAgent?.slice(0, 300) ?? null;
  const visitor = !isHumanClick(userAgent)
    ? null
    : friendId !== null
      ? friendVisitor(friendId)
      : anonymousVisitor(opts.clientAddress, userAgent);
  const row = await insertClick(code, friendId, userAgent, visitor, clickWindow(now));
  if (!row) return null;
  return redirectTarget(row.url, { sourceType: row.sourceType, code, extraParams: opts.query });
}

function anonymousVisitor(clientAddress: string | null | undefined, userAgent: string | null): string {
  const digest = crypto
    .createHmac("sha256", tokenKey())
    .update(`${clientAddress ?? ""}|${userAgent ?? ""}`)
    .digest("hex");
  return `a:${digest.slice(0, 32)}`;
}

/**
 * Unique clicks of a source's links (e.g. one A/B variant's broadcast): distinct counted visitors,
 * so repeats, reloads and bots cannot inflate it (what A/B winners are decided on).
 */
export async function uniqueClickCount(shopId: number, sourceType: TrackedSourceType, sourceId: number): Promise<number> {
  const rows = await db().$queryRaw<Array<{ n: bigint }>>`
    SELECT count(DISTINCT visitor)::bigint AS n FROM "LinkClick"
    WHERE "shopId" = ${shopId} AND "sourceType" = ${sourceType} AND "sourceId" = ${sourceId} AND visitor IS NOT NULL`;
  return Number(rows[0]?.n ?? 0);
}

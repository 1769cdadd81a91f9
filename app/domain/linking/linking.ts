// Linking rules (docs/linking.md), pure: who ends up linked to whom, and whether a one-time code,
// LINE Login state or account-link nonce may still be used. `now` is always passed in.

export type LinkSource = "thank_you" | "order_status" | "storefront" | "line" | "import";
export const LINK_SOURCES: readonly LinkSource[] = ["thank_you", "order_status", "storefront", "line", "import"];

/** One-time codes and nonces live 15 minutes (LINE's own link token lives 10). */
export const INTENT_TTL_MS = 15 * 60_000;

export interface LinkState {
  /** The customer the friend is linked to now (internal Customer.id), or null. */
  friendCustomerId: number | null;
  /** The friend currently holding the target customer (internal Friend.id), or null. */
  customerHolderFriendId: number | null;
}

export type LinkPlan =
  | { outcome: "unchanged" }
  | {
      outcome: "linked" | "relinked";
      /** Another friend holds the customer: it is unlinked first ("last link wins"). */
      unlinkHolderFriendId: number | null;
      /** The friend's previous customer, released by the move. */
      previousCustomerId: number | null;
    };

/**
 * One friend ↔ one customer per shop. Linking friend F to customer C:
 * - F already on C → unchanged (the source of the first link is kept).
 * - C held by another friend G → G is unlinked (last link wins).
 * - F on another customer → F moves to C (relinked).
 */
export function planLink(friendId: number, targetCustomerId: number, s: LinkState): LinkPlan {
  if (s.friendCustomerId === targetCustomerId) return { outcome: "unchanged" };
  const unlinkHolderFriendId = s.customerHolderFriendId !== null && s.customerHolderFriendId !== friendId ? s.customerHolderFriendId : null;
  return {
    outcome: s.friendCustomerId === null ? "linked" : "relinked",
    unlinkHolderFriendId,
    previousCustomerId: s.friendCustomerId,
  };
}

/**
 * Whether linking would take a link away from someone: the customer is held by another LINE user,
 * or the LINE user leaves another customer. Such a change needs the LINE user's confirmation
 * (LINE Login callback → confirmation page) and is never made for a guest checkout.
 */
export function linkReplacesExisting(plan: LinkPlan): boolean {
  return plan.outcome !== "unchanged" && (plan.unlinkHolderFriendId !== null || plan.previousCustomerId !== null);
}

export type IntentCheck = "ok" | "unknown" | "expired" | "used";

export function checkIntent(intent: { expiresAt: Date; usedAt: Date | null } | null | undefined, now: Date): IntentCheck {
  if (!intent) return "unknown";
  if (intent.usedAt) return "used";
  if (intent.expiresAt.getTime() <= now.getTime()) return "expired";
  return "ok";
}

export interface PostbackData {
  raw: string;
  menu?: string;
  area?: string;
  action?: string;
  params: Record<string, string>;
}

/** Rich-menu postbacks carry `menu=<id>&area=<label>&action=…` (URL-encoded form). */
export function parsePostbackData(data: string): PostbackData {
  const params: Record<string, string> = {};
  try {
    for (const [k, v] of new URLSearchParams(data)) params[k] ??= v;
  } catch {
    // Not form-encoded: keep the raw data only.
  }
  return { raw: data, menu: params.menu, area: params.area, action: params.action, params };
}

/** Shopify gid or plain numeric id → bigint; anything else → null. */
export function parseShopifyId(value: unknown, type: string): bigint | null {
  if (typeof value === "number" && Number.isSafeInteger(value) && value > 0) return BigInt(value);
  if (typeof value !== "string") return null;
  const v = value.trim();
  const m = v.match(new RegExp(`^gid://shopify/${type}/(\\d+)(\\?.*)?$`));
  const digits = m ? m[1] : /^\d+$/.test(v) ? v : null;
  if (!digits) return null;
  const id = BigInt(digits);
  return id > 0n && id < 2n ** 63n ? id : null;
}

const LINE_USER_ID_RE = /^U[0-9a-f]{32}$/;

export interface CsvLinkRow {
  line: number;
  shopifyCustomerId: bigint;
  lineUserId: string;
}
/** Why a CSV link import refused a file or row; the admin shows `friends.import.errors.<code>` with `params`. */
export type CsvErrorCode =
  "notCsv" | "missingColumns" | "tooManyRows" | "badCustomerId" | "badLineUserId" | "duplicateCustomer" | "duplicateLineUser";

export interface CsvRowError {
  line: number;
  code: CsvErrorCode;
  params?: Record<string, string | number>;
  /** English, for logs and the API. */
  message: string;
}

/**
 * Validates parsed CSV records (header already consumed; `line` is the 1-based file line). Within
 * one file a customer or LINE user may appear once: a second row is an error, not "last wins",
 * because a file that links one person twice is a mistake the merchant should see.
 */
export function validateLinkRows(records: Array<{ line: number; values: Record<string, string | undefined> }>): {
  rows: CsvLinkRow[];
  errors: CsvRowError[];
} {
  const rows: CsvLinkRow[] = [];
  const errors: CsvRowError[] = [];
  const seenCustomers = new Map<bigint, number>();
  const seenUsers = new Map<string, number>();
  for (const { line, values } of records) {
    const customerRaw = (values.shopify_customer_id ?? "").trim();
    const userRaw = (values.line_user_id ?? "").trim();
    const customerId = parseShopifyId(customerRaw, "Customer");
    if (!customerId) {
      errors.push({
        line,
        code: "badCustomerId",
        params: { value: customerRaw },
        message: `shopify_customer_id "${customerRaw}" is not a Shopify customer id`,
      });
      continue;
    }
    if (!LINE_USER_ID_RE.test(userRaw)) {
      errors.push({
        line,
        code: "badLineUserId",
        params: { value: userRaw },
        message: `line_user_id "${userRaw}" is not a LINE user id (U + 32 hex characters)`,
      });
      continue;
    }
    const dupC = seenCustomers.get(customerId);
    if (dupC !== undefined) {
      errors.push({
        line,
        code: "duplicateCustomer",
        params: { value: String(customerId), first: dupC },
        message: `customer ${customerId} already appears on line ${dupC}`,
      });
      continue;
    }
    const dupU = seenUsers.get(userRaw);
    if (dupU !== undefined) {
      errors.push({
        line,
        code: "duplicateLineUser",
        params: { value: userRaw, first: dupU },
        message: `LINE user ${userRaw} already appears on line ${dupU}`,
      });
      continue;
    }
    seenCustomers.set(customerId, line);
    seenUsers.set(userRaw, line);
    rows.push({ line, shopifyCustomerId: customerId, lineUserId: userRaw });
  }
  return { rows, errors };
}

/** Link rate per order: completed links / orders in the period (0 when there were no orders). */
export function linkRate(links: number, orders: number): number {
  return orders > 0 ? Math.round((links / orders) * 10_000) / 10_000 : 0;
}

/** Profiles are refreshed on activity when older than this. */
const PROFILE_MAX_AGE_MS = 7 * 24 * 3600_000;

export function profileIsStale(fetchedAt: Date | null, now: Date): boolean {
  return !fetchedAt || now.getTime() - fetchedAt.getTime() > PROFILE_MAX_AGE_MS;
}

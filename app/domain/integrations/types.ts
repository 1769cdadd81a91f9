// The shapes every CRM / email-tool integration (HubSpot, Klaviyo) maps its API into, and the
// connector interface the sync engine drives. Adapters (app/adapters/hubspot, app/adapters/klaviyo)
// implement IntegrationConnector with the official SDKs; services never see provider shapes.
// docs/integrations.md describes the flow (connect → full sync → incremental sync → write-back).

export const PROVIDERS = ["hubspot", "klaviyo"] as const;
export type Provider = (typeof PROVIDERS)[number];

/** Property types the segment editor offers operators for (docs/segments.md). */
export type PropertyType = "string" | "number" | "date" | "datetime" | "bool" | "enumeration";

export interface ExternalProperty {
  /** Internal name: HubSpot property `name` ("lifecyclestage"), Klaviyo attribute path ("first_name", "properties.plan"). */
  name: string;
  label: string;
  type: PropertyType;
  /** For enumerations: the allowed values and their labels. */
  options?: Array<{ value: string; label: string }>;
}

export interface ExternalList {
  externalId: string;
  name: string;
  /** HubSpot lists are HubSpot's "segments"; Klaviyo has lists and segments. */
  kind: "list" | "segment";
  memberCount?: number;
}

export interface ExternalContact {
  /** HubSpot contact id / Klaviyo profile id. */
  externalId: string;
  email: string | null;
  /** As the provider stores it; normalised to E.164 when matching. */
  phone: string | null;
  /** Value of the connection's lineUserIdProperty, when set. */
  lineUserId: string | null;
  /** name → value (string | number | boolean | null; dates as ISO-8601 strings). */
  properties: Record<string, string | number | boolean | null>;
  /** HubSpot `updatedAt` (lastmodifieddate) / Klaviyo `updated`. */
  updatedAt: Date | null;
}

/** One page of a paginated read; `next` null = last page. The cursor is opaque to the engine. */
export interface Page<T> {
  items: T[];
  next: string | null;
}

/** Contact/profile property the write-back puts the LINE user id in when the connection names none. */
export const DEFAULT_LINE_USER_ID_PROPERTY = "line_user_id";

/**
 * The other properties the write-back sets on a HubSpot contact / Klaviyo profile (same names in
 * both). Values: following/consent "true"/"false", updated-at ISO-8601, source text.
 */
export const WRITE_BACK_PROPERTIES = {
  following: "line_following",
  marketingConsent: "line_marketing_consent",
  updatedAt: "line_status_updated_at",
  source: "line_status_source",
} as const;

/** What the engine sends back to the provider for one friend (docs/integrations.md "Write-back"). */
export interface WriteBackProperties {
  externalId: string;
  lineUserId: string;
  following: boolean;
  marketingConsent: boolean;
  /** ISO-8601 time of the change and where it came from (e.g. "line_follow", "merchant", "shopper"). */
  updatedAt: string;
  source: string;
}

export interface WriteBackEvent {
  externalId: string;
  /** "LINE Message Sent" | "LINE Message Clicked" (Klaviyo metric names). */
  metric: string;
  /** Unique per event: Klaviyo's `unique_id`, so a retried job never records it twice. */
  uniqueId: string;
  time: string;
  properties: Record<string, string | number | boolean>;
}

/**
 * Errors a connector throws, classified once so the engine decides what to do:
 * - rate_limited: 429 — retry after `retryAfterMs` (from Retry-After), the cursor is kept;
 * - unauthorized: 401/403 — the credential is wrong or revoked, the connection goes to "error";
 * - invalid: 400/404/422 — a permanent fault in what we sent;
 * - transient: 5xx / network — retry with backoff.
 */
export class IntegrationError extends Error {
  constructor(
    readonly kind: "rate_limited" | "unauthorized" | "invalid" | "transient",
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = "IntegrationError";
  }
}

export interface IntegrationConnector {
  readonly provider: Provider;
  /** Checks the credential; returns the account it belongs to. Throws IntegrationError. */
  testConnection(): Promise<{ accountId: string; accountName: string }>;
  listProperties(): Promise<ExternalProperty[]>;
  listLists(cursor: string | null): Promise<Page<ExternalList>>;
  /** All contacts (since = null) or those updated at or after `since`, oldest first where the API allows. */
  pageContacts(cursor: string | null, since: Date | null): Promise<Page<ExternalContact>>;
  /** Contact ids that are members of one list. */
  pageListMembers(listId: string, cursor: string | null): Promise<Page<string>>;
  writeProperties(items: WriteBackProperties[]): Promise<void>;
  /** Providers without events (HubSpot) resolve without sending. */
  writeEvents(items: WriteBackEvent[]): Promise<void>;
}

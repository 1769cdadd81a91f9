// HubSpot through the official SDK (@hubspot/api-client), mapped into the provider-neutral shapes of
// app/domain/integrations/types.ts. The SDK's own retries and limiter stay off: the sync engine
// honours 429/Retry-After itself so the page cursor it saved is what it resumes from.
// HubSpot docs: crm/contacts (basic paging, batch update), crm/search (filters, sorts, 10,000-result
// window), crm/lists (search, memberships), crm/properties, settings/account-information-api,
// usage-details (rate limits: 429 with policyName SECONDLY / TEN_SECONDLY_ROLLING / DAILY).
import { Client } from "@hubspot/api-client";
import { env } from "~/config/env.server";
import { retryAfterMs } from "~/domain/http/retry-after";
import {
  DEFAULT_LINE_USER_ID_PROPERTY,
  IntegrationError,
  WRITE_BACK_PROPERTIES,
  type ExternalContact,
  type ExternalList,
  type ExternalProperty,
  type IntegrationConnector,
  type Page,
  type PropertyType,
  type WriteBackProperties,
} from "~/domain/integrations/types";

/** Contacts per page: the basic API's maximum is 100, search's 200 (HubSpot docs). */
const CONTACTS_PAGE = 100;
const MEMBERS_PAGE = 250;
const LISTS_PAGE = 100;
/** Batch update accepts at most 100 inputs (crm/contacts batch docs). */
const BATCH_MAX = 100;
/** The search API pages through at most 10,000 results per query (crm/search "Limitations"). */
const SEARCH_WINDOW = 10_000;
/** HubSpot's object type id of contacts (lists carry it as objectTypeId). */
const CONTACTS_OBJECT_TYPE = "0-1";

/** Retry-After fallback by HubSpot's rate-limit policy when the 429 carries no header (usage-details docs). */
const POLICY_WAIT_MS: Record<string, number> = { SECONDLY: 1_000, TEN_SECONDLY_ROLLING: 10_000, DAILY: 3_600_000 };

interface HubSpotErrorLike {
  code?: unknown;
  headers?: Record<string, string>;
  body?: unknown;
  message?: string;
}

/**
 * Classifies anything the SDK throws (an ApiException from a generated API: {code, headers, body};
 * a network error) into an IntegrationError. Retry-After is seconds (RFC 9110 §10.2.3) or an HTTP
 * date; without it the policy named in the 429 body decides the wait.
 */
export function classifyHubSpotError(err: unknown, now: Date = new Date()): IntegrationError {
  if (err instanceof IntegrationError) return err;
  const e = (err ?? {}) as HubSpotErrorLike;
  const status = typeof e.code === "number" ? e.code : null;
  const body = (typeof e.body === "object" && e.body ? e.body : {}) as { message?: string; category?: string; policyName?: string };
  const detail = `HubSpot ${status ?? "network"}: ${body.category ?? body.message ?? e.message ?? "error"}`;
  if (status === null) return new IntegrationError("transient", detail);
  if (status === 429)
    return new IntegrationError(
      "rate_limited",
      detail,
      retryAfterMs(e.headers?.["retry-after"], now) ?? POLICY_WAIT_MS[body.policyName ?? ""] ?? 10_000,
    );
  if (status === 401 || status === 403) return new IntegrationError("unauthorized", detail);
  if (status >= 500) return new IntegrationError("transient", detail);
  return new IntegrationError("invalid", detail);
}

/** HubSpot property type/fieldType → the editor's type (booleancheckbox enumerations are booleans). */
function propertyTypeOf(type: string, fieldType: string): PropertyType {
  if (type === "bool" || fieldType === "booleancheckbox") return "bool";
  if (type === "number" || type === "date" || type === "datetime" || type === "enumeration") return type;
  return "string";
}

/** A HubSpot string value → the neutral value of its type (numbers, booleans; dates stay ISO strings). */
function typedValue(raw: string | null | undefined, type: PropertyType | undefined): string | number | boolean | null {
  if (raw == null || raw === "") return null;
  if (type === "number") return Number.isFinite(Number(raw)) ? Number(raw) : raw;
  if (type === "bool") return raw === "true";
  if (type === "datetime" && /^\d+$/.test(raw)) return new Date(Number(raw)).toISOString();
  return raw;
}

interface SearchCursor {
  /** Offset within the current search window. */
  after: number;
  /** Lower bound (epoch ms) of the current window: moves forward when the 10,000 window is used up. */
  from: number;
}

export interface HubSpotConnectorOptions {
  accessToken: string;
  /** Contact property holding the LINE user id (null → DEFAULT_LINE_USER_ID_PROPERTY for write-back only). */
  lineUserIdProperty: string | null;
  baseUrl?: string;
}

/** An IntegrationConnector for one HubSpot portal (private app access token or OAuth access token). */
export function hubspotConnector(opts: HubSpotConnectorOptions): IntegrationConnector {
  const client = new Client({
    accessToken: opts.accessToken,
    basePath: opts.baseUrl ?? env().HUBSPOT_API_BASE_URL,
    numberOfApiCallRetries: 0,
  });
  let propertyTypes: Map<string, PropertyType> | null = null;
  let writeBackReady = false;
  const call = async <T>(fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (err) {
      throw classifyHubSpotError(err);
    }
  };

  const listProperties = async (): Promise<ExternalProperty[]> => {
    const res = await call(() => client.crm.properties.coreApi.getAll("contacts"));
    const props = res.results.map((p) => ({
      name: p.name,
      label: p.label,
      type: propertyTypeOf(p.type, p.fieldType),
      ...(p.type === "enumeration" && p.fieldType !== "booleancheckbox"
        ? { options: p.options.filter((o) => !o.hidden).map((o) => ({ value: o.value, label: o.label })) }
        : {}),
    }));
    propertyTypes = new Map(props.map((p) => [p.name, p.type]));
    return props;
  };

  const toContact = (o: { id: string; properties: Record<string, string | null>; updatedAt?: Date }): ExternalContact => {
    const properties: ExternalContact["properties"] = {};
    for (const [name, raw] of Object.entries(o.properties)) properties[name] = typedValue(raw, propertyTypes?.get(name));
    const text = (name: string | null) => (name ? (o.properties[name] ?? null) || null : null);
    return {
      externalId: o.id,
      email: text("email"),
      phone: text("phone") ?? text("mobilephone"),
      lineUserId: text(opts.lineUserIdProperty),
      properties,
      updatedAt: o.updatedAt ?? null,
    };
  };

  return {
    provider: "hubspot",

    async testConnection() {
      const res = await call(() => client.apiRequest({ method: "GET", path: "/account-info/v3/details" }));
      if (!res.ok) {
        const body = (await res.json().catch(() => ({}))) as unknown;
        throw classifyHubSpotError({ code: res.status, headers: { "retry-after": res.headers.get("retry-after") ?? "" }, body });
      }
      const info = (await res.json()) as { portalId: number; uiDomain?: string };
      return { accountId: String(info.portalId), accountName: `HubSpot ${info.portalId}` };
    },

    listProperties,

    async listLists(cursor) {
      const offset = Number(cursor ?? 0);
      const res = await call(() => client.crm.lists.listsApi.doSearch({ offset, count: LISTS_PAGE }));
      const items: ExternalList[] = res.lists
        .filter((l) => l.objectTypeId === CONTACTS_OBJECT_TYPE)
        .map((l) => ({
          externalId: l.listId,
          name: l.name,
          kind: l.processingType === "DYNAMIC" ? "segment" : "list",
          ...(l.additionalProperties?.hs_list_size ? { memberCount: Number(l.additionalProperties.hs_list_size) } : {}),
        }));
      return { items, next: res.hasMore ? String(res.offset) : null };
    },

    async pageContacts(cursor, since) {
      if (!propertyTypes) await listProperties();
      const properties = [...propertyTypes!.keys()];
      if (!since) {
        const res = await call(() => client.crm.contacts.basicApi.getPage(CONTACTS_PAGE, cursor ?? undefined, properties));
        return { items: res.results.map(toContact), next: res.paging?.next?.after ?? null };
      }
      // Incremental: search by lastmodifieddate ascending. When the 10,000-result window is used up,
      // a new window starts at the last modification time seen (re-reading its ties is harmless).
      const c: SearchCursor = cursor ? (JSON.parse(cursor) as SearchCursor) : { after: 0, from: since.getTime() };
      const res = await call(() =>
        client.crm.contacts.searchApi.doSearch({
          filterGroups: [{ filters: [{ propertyName: "lastmodifieddate", operator: "GTE" as never, value: String(c.from) }] }],
          // The generated model types sorts as string[]; HubSpot documents {propertyName, direction}.
          sorts: [{ propertyName: "lastmodifieddate", direction: "ASCENDING" } as unknown as string],
          properties,
          limit: CONTACTS_PAGE,
          after: String(c.after),
        }),
      );
      const items = res.results.map(toContact);
      if (!res.paging?.next?.after) return { items, next: null };
      const after = Number(res.paging.next.after);
      const last = items.at(-1)?.updatedAt?.getTime() ?? c.from;
      const next: SearchCursor = after + CONTACTS_PAGE > SEARCH_WINDOW ? { after: 0, from: last } : { after, from: c.from };
      return { items, next: JSON.stringify(next) };
    },

    async pageListMembers(listId, cursor): Promise<Page<string>> {
      const res = await call(() => client.crm.lists.membershipsApi.getPage(listId, cursor ?? undefined, undefined, MEMBERS_PAGE));
      return { items: res.results.map((r) => r.recordId), next: res.paging?.next?.after ?? null };
    },

    async writeProperties(items: WriteBackProperties[]) {
      const lineProp = opts.lineUserIdProperty ?? DEFAULT_LINE_USER_ID_PROPERTY;
      if (!writeBackReady) {
        await ensureProperties(client, lineProp, call);
        writeBackReady = true;
      }
      for (let i = 0; i < items.length; i += BATCH_MAX) {
        const inputs = items.slice(i, i + BATCH_MAX).map((w) => ({
          id: w.externalId,
          properties: {
            [lineProp]: w.lineUserId,
            [WRITE_BACK_PROPERTIES.following]: String(w.following),
            [WRITE_BACK_PROPERTIES.marketingConsent]: String(w.marketingConsent),
            [WRITE_BACK_PROPERTIES.updatedAt]: w.updatedAt,
            [WRITE_BACK_PROPERTIES.source]: w.source,
          },
        }));
        await call(() => client.crm.contacts.batchApi.update({ inputs }));
      }
    },

    // HubSpot has no custom events on the contact API the app uses; events go to Klaviyo only.
    async writeEvents() {},
  };
}

/** Creates the write-back contact properties the portal lacks (HubSpot rejects unknown properties). */
async function ensureProperties(client: Client, lineProp: string, call: <T>(fn: () => Promise<T>) => Promise<T>) {
  const existing = new Set((await call(() => client.crm.properties.coreApi.getAll("contacts"))).results.map((p) => p.name));
  const bool = (name: string, label: string) => ({
    name,
    label,
    type: "enumeration",
    fieldType: "booleancheckbox",
    options: [
      { label: "Yes", value: "true", hidden: false },
      { label: "No", value: "false", hidden: false },
    ],
  });
  const wanted = [
    { name: lineProp, label: "LINE user ID", type: "string", fieldType: "text" },
    bool(WRITE_BACK_PROPERTIES.following, "LINE following"),
    bool(WRITE_BACK_PROPERTIES.marketingConsent, "LINE marketing consent"),
    { name: WRITE_BACK_PROPERTIES.updatedAt, label: "LINE status updated at", type: "datetime", fieldType: "date" },
    { name: WRITE_BACK_PROPERTIES.source, label: "LINE status source", type: "string", fieldType: "text" },
  ];
  for (const p of wanted.filter((w) => !existing.has(w.name)))
    await call(() => client.crm.properties.coreApi.create("contacts", { ...p, groupName: "contactinformation" } as never));
}

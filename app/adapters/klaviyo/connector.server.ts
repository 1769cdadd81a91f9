// The Klaviyo connector: IntegrationConnector over the official `klaviyo-api` SDK (revision
// 2026-07-15), against KLAVIYO_API_BASE_URL (the stand-in in emulator/klaviyo in the sandbox and
// tests). Klaviyo's API reference: https://developers.klaviyo.com/en/v2026-07-15/reference/api-overview
//
// - Test connection: GET /api/accounts (the key's account id and organization name).
// - Profiles: GET /api/profiles sorted by `updated`, 100 per page (Klaviyo's maximum); incremental
//   reads filter `greater-than(updated, since − 1 ms)` — get_profiles allows only greater-than /
//   less-than on `updated`, so 1 ms before `since` reads "at or after since".
// - Lists and segments are both ExternalLists; their ids share one namespace in the app, so a
//   segment's externalId is "segment:<id>" and a list's is its plain Klaviyo id.
// - Write-back: one bulk profile import job per batch (POST /api/profile-bulk-import-jobs, profiles
//   by id; custom properties are merged, others kept) and one bulk event job per batch
//   (POST /api/event-bulk-create-jobs) with `unique_id`, which Klaviyo deduplicates per profile and
//   metric. Both jobs run asynchronously at Klaviyo: a profile deleted there fails inside the job.
// The SDK's own retries are off: 429/5xx go to the sync engine as IntegrationErrors (Retry-After kept).
import { isAxiosError } from "axios";
import {
  AccountsApi,
  ApiKeySession,
  EventsApi,
  ListsApi,
  ProfileEnum,
  ProfilesApi,
  RetryWithExponentialBackoff,
  SegmentsApi,
  EventEnum,
  EventBulkCreateEnum,
  EventBulkCreateJobEnum,
  MetricEnum,
  ProfileBulkImportJobEnum,
} from "klaviyo-api";
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
  type WriteBackEvent,
  type WriteBackProperties,
} from "~/domain/integrations/types";
import { CUSTOM_PREFIX, STANDARD_PROPERTIES, customKey, customProperties } from "./properties";

/** Klaviyo metric names of the events the app records. */

const PROFILES_PAGE = 100; // get_profiles: max 100
const MEMBERS_PAGE = 100; // get_profile_ids_for_list / _segment: max 100
const SAMPLE_PAGES = 5;
// One request per outbox batch, so a 429 part-way never leaves a batch half sent and half retried.
const PROFILES_IMPORT_MAX = 10_000; // bulk_import_profiles: up to 10,000 profiles
const EVENTS_BULK_MAX = 1_000; // bulk_create_events: up to 1,000 events // listProperties samples the 500 most recently updated profiles
const SEGMENT_PREFIX = "segment:";

/**
 * Any error from the SDK → IntegrationError. Klaviyo answers JSON:API error documents
 * ({ errors: [{ code, title, detail }] }); 429 carries Retry-After in seconds
 * (developers.klaviyo.com/en/docs/rate_limits_and_error_handling).
 */
function classifyKlaviyoError(err: unknown): IntegrationError {
  if (err instanceof IntegrationError) return err;
  if (isAxiosError(err)) {
    const status = err.response?.status;
    if (!status) return new IntegrationError("transient", `Klaviyo unreachable: ${err.code ?? err.message}`);
    const first = (err.response?.data as { errors?: Array<{ code?: string; detail?: string }> } | undefined)?.errors?.[0];
    const detail = `Klaviyo ${status}${first?.code ? ` ${first.code}` : ""}${first?.detail ? `: ${first.detail}` : ""}`;
    if (status === 429) {
      const header = err.response?.headers?.["retry-after"] as string | undefined;
      return new IntegrationError("rate_limited", detail, retryAfterMs(header) || 1000);
    }
    if (status === 401 || status === 403) return new IntegrationError("unauthorized", detail);
    if (status >= 500) return new IntegrationError("transient", detail);
    return new IntegrationError("invalid", detail);
  }
  return new IntegrationError("transient", err instanceof Error ? err.message : String(err));
}

/** The `page[cursor]` of a JSON:API `links.next` URL (null on the last page). */
function nextCursor(next: string | undefined | null): string | null {
  if (!next) return null;
  return new URL(next).searchParams.get("page[cursor]");
}

type Scalar = string | number | boolean | null;

const scalar = (v: unknown): Scalar | undefined =>
  v === null || typeof v === "string" || typeof v === "number" || typeof v === "boolean"
    ? v
    : v instanceof Date
      ? v.toISOString()
      : undefined;

export interface KlaviyoConnectorOptions {
  /** Private API key (pk_…). */
  apiKey: string;
  /** Custom property holding the LINE user id ("line_user_id" or "properties.line_user_id"); null = none. */
  lineUserIdProperty: string | null;
  baseUrl?: string;
}

/** An IntegrationConnector for one Klaviyo account (private API key). */
export function klaviyoConnector(opts: KlaviyoConnectorOptions): IntegrationConnector {
  const session = new ApiKeySession(opts.apiKey, new RetryWithExponentialBackoff({ numRetries: 0 }));
  const basePath = (opts.baseUrl ?? env().KLAVIYO_API_BASE_URL).replace(/\/$/, "");
  const withBase = <T extends { basePath: string }>(api: T): T => {
    api.basePath = basePath;
    return api;
  };
  const accounts = withBase(new AccountsApi(session));
  const profiles = withBase(new ProfilesApi(session));
  const lists = withBase(new ListsApi(session));
  const segments = withBase(new SegmentsApi(session));
  const events = withBase(new EventsApi(session));
  const lineKey = opts.lineUserIdProperty ? customKey(opts.lineUserIdProperty) : null;

  const call = async <T>(fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (err) {
      throw classifyKlaviyoError(err);
    }
  };

  return {
    provider: "klaviyo",

    async testConnection() {
      const res = await call(() => accounts.getAccounts());
      const account = res.body.data[0];
      if (!account) throw new IntegrationError("unauthorized", "Klaviyo returned no account for this key");
      return { accountId: account.id, accountName: account.attributes.contactInformation.organizationName };
    },

    async listProperties(): Promise<ExternalProperty[]> {
      const samples: Array<Record<string, unknown>> = [];
      let cursor: string | undefined;
      for (let i = 0; i < SAMPLE_PAGES; i++) {
        const res = await call(() =>
          profiles.getProfiles({ fieldsProfile: ["properties"], sort: "-updated", pageSize: PROFILES_PAGE, pageCursor: cursor }),
        );
        for (const p of res.body.data) samples.push((p.attributes.properties ?? {}) as Record<string, unknown>);
        const next = nextCursor(res.body.links?.next);
        if (!next) break;
        cursor = next;
      }
      return [...STANDARD_PROPERTIES, ...customProperties(samples)];
    },

    async listLists(cursor): Promise<Page<ExternalList>> {
      // One cursor over two collections: lists first, then segments ("lists:<c>" / "segments:<c>").
      const [phase, inner] = cursor ? [cursor.slice(0, cursor.indexOf(":")), cursor.slice(cursor.indexOf(":") + 1)] : ["lists", ""];
      if (phase === "lists") {
        const res = await call(() => lists.getLists({ pageCursor: inner || undefined }));
        const next = nextCursor(res.body.links?.next);
        return {
          items: res.body.data.map((l) => ({ externalId: l.id, name: l.attributes.name ?? l.id, kind: "list" })),
          next: next ? `lists:${next}` : "segments:",
        };
      }
      const res = await call(() => segments.getSegments({ pageCursor: inner || undefined }));
      const next = nextCursor(res.body.links?.next);
      return {
        items: res.body.data.map((s) => ({ externalId: SEGMENT_PREFIX + s.id, name: s.attributes.name ?? s.id, kind: "segment" })),
        next: next ? `segments:${next}` : null,
      };
    },

    async pageContacts(cursor, since): Promise<Page<ExternalContact>> {
      const filter = since ? `greater-than(updated,${new Date(since.getTime() - 1).toISOString()})` : undefined;
      const res = await call(() =>
        profiles.getProfiles({ sort: "updated", pageSize: PROFILES_PAGE, pageCursor: cursor ?? undefined, filter }),
      );
      const items = res.body.data.map((p): ExternalContact => {
        const a = p.attributes;
        const custom = (a.properties ?? {}) as Record<string, unknown>;
        const properties: Record<string, Scalar> = {};
        const standard: Record<string, unknown> = {
          email: a.email,
          phone_number: a.phoneNumber,
          external_id: a.externalId,
          first_name: a.firstName,
          last_name: a.lastName,
          organization: a.organization,
          title: a.title,
          locale: a.locale,
          "location.city": a.location?.city,
          "location.region": a.location?.region,
          "location.country": a.location?.country,
          "location.zip": a.location?.zip,
          "location.timezone": a.location?.timezone,
          created: a.created,
          updated: a.updated,
          last_event_date: a.lastEventDate,
        };
        for (const [k, v] of Object.entries(standard)) {
          const s = scalar(v);
          if (s !== undefined && s !== null) properties[k] = s;
        }
        for (const [k, v] of Object.entries(custom)) {
          const s = scalar(v);
          if (s !== undefined) properties[CUSTOM_PREFIX + k] = s;
        }
        const lineUserId = lineKey ? custom[lineKey] : null;
        return {
          externalId: p.id!,
          email: a.email ?? null,
          phone: a.phoneNumber ?? null,
          lineUserId: typeof lineUserId === "string" && lineUserId ? lineUserId : null,
          properties,
          updatedAt: a.updated ? new Date(a.updated) : null,
        };
      });
      return { items, next: nextCursor(res.body.links?.next) };
    },

    async pageListMembers(listId, cursor): Promise<Page<string>> {
      const options = { pageCursor: cursor ?? undefined, pageSize: MEMBERS_PAGE };
      const res = listId.startsWith(SEGMENT_PREFIX)
        ? await call(() => segments.getProfileIdsForSegment(listId.slice(SEGMENT_PREFIX.length), options))
        : await call(() => lists.getProfileIdsForList(listId, options));
      return { items: res.body.data.map((r) => r.id), next: nextCursor(res.body.links?.next) };
    },

    async writeProperties(items: WriteBackProperties[]) {
      const lineProp = lineKey ?? DEFAULT_LINE_USER_ID_PROPERTY;
      for (let i = 0; i < items.length; i += PROFILES_IMPORT_MAX) {
        const profilesData = items.slice(i, i + PROFILES_IMPORT_MAX).map((w) => ({
          type: ProfileEnum.Profile,
          id: w.externalId,
          attributes: {
            properties: {
              [lineProp]: w.lineUserId,
              [WRITE_BACK_PROPERTIES.following]: w.following,
              [WRITE_BACK_PROPERTIES.marketingConsent]: w.marketingConsent,
              [WRITE_BACK_PROPERTIES.updatedAt]: w.updatedAt,
              [WRITE_BACK_PROPERTIES.source]: w.source,
            },
          },
        }));
        await call(() =>
          profiles.bulkImportProfiles({
            data: { type: ProfileBulkImportJobEnum.ProfileBulkImportJob, attributes: { profiles: { data: profilesData } } },
          }),
        );
      }
    },

    async writeEvents(items: WriteBackEvent[]) {
      for (let i = 0; i < items.length; i += EVENTS_BULK_MAX) {
        const byProfile = new Map<string, WriteBackEvent[]>();
        for (const e of items.slice(i, i + EVENTS_BULK_MAX)) byProfile.set(e.externalId, [...(byProfile.get(e.externalId) ?? []), e]);
        const data = [...byProfile.entries()].map(([externalId, evs]) => ({
          type: EventBulkCreateEnum.EventBulkCreate,
          attributes: {
            profile: { data: { type: ProfileEnum.Profile, id: externalId, attributes: {} } },
            events: {
              data: evs.map((e) => ({
                type: EventEnum.Event,
                attributes: {
                  properties: e.properties,
                  time: new Date(e.time),
                  uniqueId: e.uniqueId,
                  metric: { data: { type: MetricEnum.Metric, attributes: { name: e.metric } } },
                },
              })),
            },
          },
        }));
        await call(() =>
          events.bulkCreateEvents({
            data: { type: EventBulkCreateJobEnum.EventBulkCreateJob, attributes: { eventsBulkCreate: { data } } },
          }),
        );
      }
    },
  };
}

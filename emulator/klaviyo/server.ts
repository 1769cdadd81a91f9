/**
 * The Klaviyo stand-in: a stateful HTTP server answering the parts of Klaviyo's REST API the app
 * uses, in Klaviyo's JSON:API shapes, driven by Klaviyo's OpenAPI slices (spec.ts). Every request is
 * matched to an operation and validated (query, `revision` header, body); an invalid one gets
 * Klaviyo's 400 error document. `Authorization: Klaviyo-API-Key <private key>` is required (401).
 * Faults (5xx, 429 with Retry-After, every Nth call) are injectable. Docs: docs/integrations.md.
 *
 * Pagination follows Klaviyo: `page[size]`, an opaque `page[cursor]`, and `links.next` carrying the
 * request's own query with the next cursor. Cursors here are keyset positions (sort value + id), so a
 * profile updated during a sync moves behind the cursor and is read again, never skipped.
 */
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import crypto from "node:crypto";
import { loadKlaviyoSpec, defaultKlaviyoSpecDir, type KlaviyoOperation, type KlaviyoSpec, type SpecProblem } from "./spec.js";
import { KlaviyoState, type Group, type Profile, type ProfileAttributes, type PropertyValue, type RequestLogEntry } from "./state.js";

export interface KlaviyoStandInOptions {
  host?: string;
  port?: number;
  specDir?: string;
  /** Validate every answer against the spec; problems are recorded in state.requests (tests). */
  validateResponses?: boolean;
  state?: KlaviyoState;
}

export interface KlaviyoFault {
  operationId?: string;
  method?: string;
  /** 429 (with Retry-After) or a 5xx. */
  status: number;
  /** Seconds in Retry-After for a 429 (default 1). */
  retryAfterSeconds?: number;
  /** Fire on every Nth matching call (1 = every call). Default 1. */
  every?: number;
  /** Fire at most this many times (default unlimited). */
  count?: number;
}

interface ActiveFault extends KlaviyoFault {
  seen: number;
  fired: number;
}

export interface KlaviyoStandIn {
  url: string;
  state: KlaviyoState;
  /** The first accepted private API key. */
  apiKey: string;
  faults: {
    add(f: KlaviyoFault): void;
    clear(): void;
    /** How many faults fired so far. */
    fired(): number;
  };
  close(): Promise<void>;
}

const REVISION = "2026-07-15";

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly title: string,
    readonly detail: string,
    readonly source?: { pointer?: string; parameter?: string },
  ) {
    super(detail);
  }
}

interface Answer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

type Ctx = {
  op: KlaviyoOperation;
  query: Record<string, string>;
  body: unknown;
  origin: string;
  path: string;
};

function errorBody(status: number, code: string, title: string, detail: string, source?: object) {
  return { errors: [{ id: crypto.randomUUID(), status, code, title, detail, ...(source ? { source } : {}) }] };
}

const iso = (d: Date | null) => (d ? d.toISOString().replace(/\.\d{3}Z$/, "+00:00") : null);

// ---- cursors: base64url JSON of the last item's sort key and id ------------------------------------

function encodeCursor(key: string | number, id: string): string {
  return Buffer.from(JSON.stringify([key, id])).toString("base64url");
}

function decodeCursor(cursor: string | undefined): [string | number, string] | null {
  if (!cursor) return null;
  try {
    const v = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as unknown;
    if (Array.isArray(v) && v.length === 2 && typeof v[1] === "string") return v as [string | number, string];
  } catch {
    // fall through
  }
  throw new HttpError(400, "invalid", "Invalid input.", "Invalid page cursor.", { parameter: "page[cursor]" });
}

/** One page of `items` sorted by (key, id) after the cursor, and links.next when more follow. */
function pageOf<T>(
  items: T[],
  key: (t: T) => string | number,
  id: (t: T) => string,
  desc: boolean,
  ctx: Ctx,
  defaultSize: number,
): { page: T[]; links: { self: string; next?: string } } {
  const size = ctx.query["page[size]"] ? Number(ctx.query["page[size]"]) : defaultSize;
  const cmp = (a: T, b: T) => {
    const ka = key(a);
    const kb = key(b);
    const c = ka < kb ? -1 : ka > kb ? 1 : id(a) < id(b) ? -1 : id(a) > id(b) ? 1 : 0;
    return desc ? -c : c;
  };
  const sorted = [...items].sort(cmp);
  const after = decodeCursor(ctx.query["page[cursor]"]);
  const rest = after
    ? sorted.filter((t) => {
        const k = key(t);
        const c = k < after[0] ? -1 : k > after[0] ? 1 : id(t) < after[1] ? -1 : id(t) > after[1] ? 1 : 0;
        return desc ? c < 0 : c > 0;
      })
    : sorted;
  const page = rest.slice(0, size);
  const self = urlWith(ctx, {});
  if (rest.length <= size) return { page, links: { self } };
  const last = page[page.length - 1];
  return { page, links: { self, next: urlWith(ctx, { "page[cursor]": encodeCursor(key(last), id(last)) }) } };
}

function urlWith(ctx: Ctx, extra: Record<string, string>): string {
  const u = new URL(ctx.path, ctx.origin);
  for (const [k, v] of Object.entries({ ...ctx.query, ...extra })) u.searchParams.set(k, v);
  return u.toString();
}

// ---- filter: Klaviyo's filter syntax, the operators get_profiles documents ---------------------------

interface Condition {
  op: string;
  field: string;
  value: string | Date | string[];
}

/** Parses `and(c1,c2)` / `c1,c2` of `op(field,value)`; strings quoted, datetimes bare, lists `[…]`. */
export function parseFilter(filter: string): Condition[] {
  const s = filter.trim();
  const and = /^and\((.*)\)$/s.exec(s);
  const body = and ? and[1] : s;
  const parts: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let cur = "";
  for (const ch of body) {
    if (quote) {
      if (ch === quote) quote = null;
    } else if (ch === "'" || ch === '"') quote = ch;
    else if (ch === "(" || ch === "[") depth++;
    else if (ch === ")" || ch === "]") depth--;
    if (ch === "," && depth === 0 && !quote) {
      parts.push(cur);
      cur = "";
    } else cur += ch;
  }
  if (cur.trim()) parts.push(cur);
  return parts.map((part) => {
    const m = /^\s*([a-z-]+)\(\s*([a-z_.]+)\s*,\s*(.+)\)\s*$/s.exec(part);
    if (!m) throw invalidFilter(`cannot parse ${part}`);
    const raw = m[3].trim();
    const unquote = (v: string) => {
      const q = /^(['"])(.*)\1$/s.exec(v.trim());
      return q ? q[2] : null;
    };
    let value: string | Date | string[];
    if (raw.startsWith("["))
      value = raw
        .slice(1, -1)
        .split(",")
        .map((v) => unquote(v) ?? v.trim());
    else if (unquote(raw) !== null) value = unquote(raw)!;
    else {
      const d = new Date(raw);
      if (Number.isNaN(d.getTime())) throw invalidFilter(`invalid value ${raw}`);
      value = d;
    }
    return { op: m[1], field: m[2], value };
  });
}

function invalidFilter(detail: string): HttpError {
  return new HttpError(400, "invalid", "Invalid input.", `Invalid filter provided: ${detail}`, { parameter: "filter" });
}

/** get_profiles allows: id/email/phone_number/external_id: any, equals; created/updated: greater-than, less-than. */
const PROFILE_FILTERS: Record<string, string[]> = {
  id: ["any", "equals"],
  email: ["any", "equals"],
  phone_number: ["any", "equals"],
  external_id: ["any", "equals"],
  created: ["greater-than", "less-than"],
  updated: ["greater-than", "less-than"],
};

function profileMatches(p: Profile, conds: Condition[]): boolean {
  return conds.every((c) => {
    const v = p[c.field as keyof Profile];
    if (c.op === "equals") return v === c.value;
    if (c.op === "any") return Array.isArray(c.value) && c.value.includes(String(v));
    const t = (v as Date).getTime();
    const ref = (c.value as Date).getTime();
    return c.op === "greater-than" ? t > ref : t < ref;
  });
}

// ---- resources -----------------------------------------------------------------------------------

function profileResource(p: Profile, origin: string, fields?: string): object {
  const all: Record<string, unknown> = {
    email: p.email,
    phone_number: p.phone_number,
    external_id: p.external_id,
    first_name: p.first_name,
    last_name: p.last_name,
    organization: p.organization,
    locale: p.locale,
    title: p.title,
    image: p.image,
    created: iso(p.created),
    updated: iso(p.updated),
    last_event_date: iso(p.last_event_date),
    location: p.location,
    properties: p.properties,
  };
  const wanted = fields ? new Set(fields.split(",").map((f) => f.split(".")[0])) : null;
  const attributes = wanted ? Object.fromEntries(Object.entries(all).filter(([k]) => wanted.has(k))) : all;
  const self = `${origin}/api/profiles/${p.id}/`;
  return {
    type: "profile",
    id: p.id,
    attributes,
    relationships: {
      lists: { links: { self: `${self}relationships/lists/`, related: `${self}lists/` } },
      segments: { links: { self: `${self}relationships/segments/`, related: `${self}segments/` } },
    },
    links: { self },
  };
}

function groupResource(g: Group, origin: string): object {
  const self = `${origin}/api/${g.kind}s/${g.id}/`;
  const attributes =
    g.kind === "list"
      ? { name: g.name, created: iso(g.created), updated: iso(g.updated), opt_in_process: "single_opt_in" }
      : { name: g.name, created: iso(g.created), updated: iso(g.updated), is_active: true, is_processing: false, is_starred: false };
  return {
    type: g.kind,
    id: g.id,
    attributes,
    relationships: { profiles: { links: { self: `${self}relationships/profiles/`, related: `${self}profiles/` } } },
    links: { self },
  };
}

const PROFILE_KEYS = [
  "email",
  "phone_number",
  "external_id",
  "first_name",
  "last_name",
  "organization",
  "locale",
  "title",
  "image",
  "location",
  "properties",
] as const;

/** The writable attributes of a JSON:API profile body (unknown keys ignored, as Klaviyo does). */
function profileAttributes(attrs: Record<string, unknown>): Partial<ProfileAttributes> {
  const out: Record<string, unknown> = {};
  for (const k of PROFILE_KEYS) if (k in attrs) out[k] = attrs[k] ?? (k === "properties" ? {} : null);
  return out as Partial<ProfileAttributes>;
}

// ---- the server --------------------------------------------------------------------------------

export async function startKlaviyoStandIn(opts: KlaviyoStandInOptions = {}): Promise<KlaviyoStandIn> {
  const spec: KlaviyoSpec = await loadKlaviyoSpec(opts.specDir ?? defaultKlaviyoSpecDir());
  const state = opts.state ?? new KlaviyoState();
  const faults: ActiveFault[] = [];
  let firedTotal = 0;
  let origin = "";

  const handlers: Record<string, (ctx: Ctx) => Answer> = {
    get_accounts: (ctx) => ({
      status: 200,
      body: {
        data: [
          {
            type: "account",
            id: state.account.id,
            attributes: {
              test_account: false,
              contact_information: {
                default_sender_name: state.account.organizationName,
                default_sender_email: "store@example.com",
                website_url: "https://example.com",
                organization_name: state.account.organizationName,
                street_address: { address1: "", address2: "", city: "Tokyo", region: "", country: "JP", zip: "" },
              },
              industry: "Retail",
              timezone: state.account.timezone,
              preferred_currency: state.account.currency,
              public_api_key: state.account.publicApiKey,
              locale: "ja-JP",
            },
            links: { self: `${origin}/api/accounts/${state.account.id}/` },
          },
        ],
        links: { self: urlWith(ctx, {}) },
      },
    }),

    get_profiles: (ctx) => {
      const conds = ctx.query.filter ? parseFilter(ctx.query.filter) : [];
      for (const c of conds)
        if (!PROFILE_FILTERS[c.field]?.includes(c.op)) throw invalidFilter(`operator ${c.op} is not allowed for field ${c.field}`);
      const sort = ctx.query.sort ?? "id";
      const field = sort.replace(/^-/, "");
      if (!["id", "created", "updated", "email"].includes(field))
        throw new HttpError(400, "invalid", "Invalid input.", `Sort by ${sort} is not supported by the stand-in.`, { parameter: "sort" });
      const key = (p: Profile): string | number => {
        const v = p[field as "id" | "created" | "updated" | "email"];
        return v instanceof Date ? v.getTime() : (v ?? "");
      };
      const matching = [...state.profiles.values()].filter((p) => profileMatches(p, conds));
      const { page, links } = pageOf(matching, key, (p) => p.id, sort.startsWith("-"), ctx, 20);
      return { status: 200, body: { data: page.map((p) => profileResource(p, origin, ctx.query["fields[profile]"])), links } };
    },

    get_profile: (ctx) => {
      const p = state.profiles.get(ctx.op.params.id);
      if (!p) throw notFound("profile", ctx.op.params.id);
      return { status: 200, body: { data: profileResource(p, origin, ctx.query["fields[profile]"]), links: { self: urlWith(ctx, {}) } } };
    },

    update_profile: (ctx) => {
      const data = (ctx.body as { data: { id: string; attributes?: Record<string, unknown> } }).data;
      if (data.id !== ctx.op.params.id)
        throw new HttpError(409, "conflict", "Conflict.", "The id in the body does not match the id in the URL.", { pointer: "/data/id" });
      if (!state.profiles.has(data.id)) throw notFound("profile", data.id);
      const p = state.updateProfile(data.id, profileAttributes(data.attributes ?? {}));
      return { status: 200, body: { data: profileResource(p, origin), links: { self: urlWith(ctx, {}) } } };
    },

    create_or_update_profile: (ctx) => {
      const data = (ctx.body as { data: { id?: string | null; attributes: Record<string, unknown> } }).data;
      const attrs = profileAttributes(data.attributes);
      const existing = state.findProfile({ id: data.id, ...(data.attributes as Record<string, string | null>) });
      if (data.id && !existing) throw notFound("profile", data.id);
      if (!existing && !attrs.email && !attrs.phone_number && !attrs.external_id)
        throw new HttpError(
          400,
          "invalid",
          "Invalid input.",
          "One of email, phone_number or external_id is required to create a profile.",
          { pointer: "/data/attributes" },
        );
      const p = existing ? state.updateProfile(existing.id, attrs) : state.createProfile(attrs);
      return { status: existing ? 200 : 201, body: { data: profileResource(p, origin), links: { self: urlWith(ctx, {}) } } };
    },

    get_lists: (ctx) => groups(ctx, "list"),
    get_segments: (ctx) => groups(ctx, "segment"),
    get_profile_ids_for_list: (ctx) => members(ctx, "list"),
    get_profile_ids_for_segment: (ctx) => members(ctx, "segment"),

    create_event: (ctx) => {
      const a = (ctx.body as { data: { attributes: EventAttributes & { profile: ProfileRef } } }).data.attributes;
      const p = eventProfile(a.profile, "/data/attributes/profile/data/id");
      recordEvent(p, a);
      return { status: 202 };
    },

    // Klaviyo runs the job asynchronously; the stand-in runs it at once. An entry naming an unknown
    // profile id fails inside the job (Klaviyo reports it on the job, not in this answer).
    bulk_create_events: (ctx) => {
      type Entry = { attributes: { profile: ProfileRef; events: { data: Array<{ attributes: EventAttributes }> } } };
      const entries = (ctx.body as { data: { attributes: { "events-bulk-create": { data: Entry[] } } } }).data.attributes[
        "events-bulk-create"
      ].data;
      for (const entry of entries) {
        const who = entry.attributes.profile.data;
        if (who.id && !state.profiles.has(who.id)) continue;
        const p = eventProfile(entry.attributes.profile, "");
        for (const e of entry.attributes.events.data) recordEvent(p, e.attributes);
      }
      return { status: 202 };
    },

    bulk_import_profiles: (ctx) => {
      type Item = { id?: string | null; attributes: Record<string, unknown> };
      const items = (ctx.body as { data: { attributes: { profiles: { data: Item[] } } } }).data.attributes.profiles.data;
      const now = state.now();
      let failed = 0;
      for (const item of items) {
        const existing = state.findProfile({ id: item.id, ...(item.attributes as Record<string, string | null>) });
        const attrs = profileAttributes(item.attributes);
        if (existing) state.updateProfile(existing.id, attrs, now);
        else if (!item.id && (attrs.email || attrs.phone_number || attrs.external_id)) state.createProfile(attrs, now);
        else failed++;
      }
      const id = crypto.randomBytes(12).toString("base64url");
      return {
        status: 202,
        body: {
          data: {
            type: "profile-bulk-import-job",
            id,
            attributes: {
              status: "complete",
              created_at: iso(now),
              total_count: items.length,
              completed_count: items.length - failed,
              failed_count: failed,
              completed_at: iso(now),
              expires_at: iso(new Date(now.getTime() + 7 * 86_400_000)),
              started_at: iso(now),
            },
            links: { self: `${origin}/api/profile-bulk-import-jobs/${id}/` },
          },
          links: { self: urlWith(ctx, {}) },
        },
      };
    },
  };

  type ProfileRef = { data: { id?: string | null; attributes: Record<string, unknown> } };
  type EventAttributes = {
    properties: Record<string, PropertyValue>;
    time?: string | null;
    unique_id?: string | null;
    metric: { data: { attributes: { name: string } } };
  };

  /** The profile an event names; Klaviyo creates one named by email / phone that does not exist yet. */
  function eventProfile(ref: ProfileRef, pointer: string): Profile {
    const who = ref.data;
    const p = state.findProfile({ id: who.id, ...(who.attributes as Record<string, string | null>) });
    if (p) return p;
    if (who.id) throw new HttpError(400, "invalid", "Invalid input.", `Profile ${who.id} does not exist.`, { pointer });
    return state.createProfile(profileAttributes(who.attributes));
  }

  function recordEvent(p: Profile, a: EventAttributes): void {
    const time = a.time ? new Date(a.time) : state.now();
    time.setMilliseconds(0); // "The time is truncated to the second."
    state.recordEvent({ metric: a.metric.data.attributes.name, profileId: p.id, uniqueId: a.unique_id, time, properties: a.properties });
  }

  function groups(ctx: Ctx, kind: "list" | "segment"): Answer {
    if (ctx.query.filter) throw invalidFilter("the stand-in does not filter lists or segments");
    const sort = ctx.query.sort ?? "id";
    const field = sort.replace(/^-/, "") as "id" | "name" | "created" | "updated";
    const key = (g: Group) => (g[field] instanceof Date ? (g[field] as Date).getTime() : String(g[field]));
    const { page, links } = pageOf(state.groupsOf(kind), key, (g) => g.id, sort.startsWith("-"), ctx, 10);
    return { status: 200, body: { data: page.map((g) => groupResource(g, origin)), links } };
  }

  function members(ctx: Ctx, kind: "list" | "segment"): Answer {
    const g = state.groups.get(ctx.op.params.id);
    if (!g || g.kind !== kind) throw notFound(kind, ctx.op.params.id);
    if (ctx.query.filter) throw invalidFilter("the stand-in does not filter memberships");
    const rows = [...g.members.entries()].map(([id, joined]) => ({ id, joined: joined.getTime() }));
    const { page, links } = pageOf(
      rows,
      (r) => r.joined,
      (r) => r.id,
      ctx.query.sort === "-joined_group_at",
      ctx,
      20,
    );
    return { status: 200, body: { data: page.map((r) => ({ type: "profile", id: r.id })), links } };
  }

  function notFound(kind: string, id: string): HttpError {
    return new HttpError(404, "not_found", "Not found.", `A ${kind} with id ${id} does not exist.`);
  }

  function takeFault(operationId: string | undefined, method: string): ActiveFault | undefined {
    for (const f of faults) {
      if (f.operationId && f.operationId !== operationId) continue;
      if (f.method && f.method.toUpperCase() !== method) continue;
      if (f.count !== undefined && f.fired >= f.count) continue;
      f.seen++;
      if (f.seen % (f.every ?? 1) !== 0) continue;
      f.fired++;
      firedTotal++;
      return f;
    }
    return undefined;
  }

  function respond(res: ServerResponse, entry: RequestLogEntry, op: KlaviyoOperation | undefined, a: Answer): void {
    entry.status = a.status;
    if (opts.validateResponses && op) entry.responseProblems = spec.validateResponse(op, a.status, a.body);
    state.requests.push(entry);
    if (a.body === undefined) {
      res.writeHead(a.status, { ...a.headers, "content-length": 0 });
      res.end();
      return;
    }
    const data = JSON.stringify(a.body);
    res.writeHead(a.status, { "content-type": "application/vnd.api+json", "content-length": Buffer.byteLength(data), ...a.headers });
    res.end(data);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", origin);
    const method = (req.method ?? "GET").toUpperCase();
    const query: Record<string, string> = {};
    for (const [k, v] of url.searchParams) if (!(k in query)) query[k] = v;
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    const entry: RequestLogEntry = { method, path: url.pathname, query, status: 0, requestProblems: [], responseProblems: [] };
    let op: KlaviyoOperation | undefined;
    const fail = (e: HttpError, headers?: Record<string, string>) =>
      respond(res, entry, op, { status: e.status, body: errorBody(e.status, e.code, e.title, e.detail, e.source), headers });
    try {
      // Klaviyo's paths are documented without a trailing slash but its links carry one.
      const path = url.pathname.length > 1 ? url.pathname.replace(/\/$/, "") : url.pathname;
      op = spec.match(method, path);
      entry.operationId = op?.operationId;
      let body: unknown;
      if (raw) {
        try {
          body = JSON.parse(raw);
        } catch {
          throw new HttpError(400, "parse_error", "Malformed request.", "The request body is not valid JSON.");
        }
      }
      entry.body = body;
      const auth = /^Klaviyo-API-Key\s+(\S+)$/.exec(String(req.headers.authorization ?? "").trim());
      if (!req.headers.authorization)
        throw new HttpError(401, "not_authenticated", "Authentication credentials were not provided.", "Missing `Authorization` header.");
      if (!auth || !state.apiKeys.has(auth[1]))
        throw new HttpError(401, "authentication_failed", "Incorrect authentication credentials.", "Incorrect authentication credentials.");
      if (!op)
        throw new HttpError(404, "not_found", "Not found.", `${method} ${url.pathname} is not a Klaviyo endpoint the stand-in knows.`);
      if (!req.headers.revision)
        throw new HttpError(400, "invalid", "Invalid input.", "Missing `revision` header.", { parameter: "revision" });
      const fault = takeFault(op.operationId, method);
      if (fault) {
        entry.fault = `status ${fault.status}`;
        if (fault.status === 429) {
          const secs = fault.retryAfterSeconds ?? 1;
          return fail(
            new HttpError(
              429,
              "throttled",
              "Request was throttled.",
              `Request was throttled. Expected available in ${secs} second${secs === 1 ? "" : "s"}.`,
            ),
            { "retry-after": String(secs) },
          );
        }
        return fail(new HttpError(fault.status, "error", "A server error occurred.", "A server error occurred."));
      }
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers[k] = v;
      entry.requestProblems = spec.validateRequest(op, { method, path, query, headers, body });
      if (entry.requestProblems.length) {
        const first: SpecProblem = entry.requestProblems[0];
        const [where, ...rest] = first.where.split(".");
        throw new HttpError(
          400,
          "invalid",
          "Invalid input.",
          entry.requestProblems.map((p) => `${p.where}: ${p.message}`).join("; "),
          where === "body" ? { pointer: "/" + rest.join("/") } : { parameter: rest.join(".") || where },
        );
      }
      const handler = handlers[op.operationId];
      if (!handler) throw new HttpError(501, "not_implemented", "Not implemented.", `${op.operationId} is not emulated by the stand-in.`);
      respond(res, entry, op, handler({ op, query, body, origin, path: url.pathname }));
    } catch (e) {
      if (e instanceof HttpError) return fail(e);
      fail(new HttpError(500, "error", "A server error occurred.", e instanceof Error ? e.message : String(e)));
    }
  }

  const server = http.createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, opts.host ?? "127.0.0.1", resolve));
  const addr = server.address() as AddressInfo;
  origin = `http://${opts.host ?? "127.0.0.1"}:${addr.port}`;
  return {
    url: origin,
    state,
    apiKey: [...state.apiKeys][0],
    faults: {
      add: (f) => faults.push({ ...f, seen: 0, fired: 0 }),
      clear: () => faults.splice(0),
      fired: () => firedTotal,
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

export { REVISION as KLAVIYO_REVISION };

// The HubSpot stand-in: the parts of api.hubapi.com the connector (app/adapters/hubspot) calls,
// answering in the shapes of @hubspot/api-client's generated models, with HubSpot's pagination
// (`paging.next.after`, lists search `offset`/`hasMore`), its error envelope
// ({status:"error", message, correlationId, category}), 401 for an unknown token, the search API's
// 10,000-result window, and injected faults (429 every n-th call with Retry-After, 5xx, delays).
// Sources: https://developers.hubspot.com/docs/api/crm/contacts, …/crm/search, …/crm/lists,
// …/crm/properties, …/settings/account-information-api, …/usage-details (rate limits).
import crypto from "node:crypto";
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { readBody, sendJson } from "../http-util.js";
import { HubSpotState, type StandInContact, type StandInList } from "./state.js";

export interface HubSpotStandIn {
  url: string;
  state: HubSpotState;
  close(): Promise<void>;
}

export interface HubSpotStandInOptions {
  host?: string;
  port?: number;
  state?: HubSpotState;
}

/** The search API answers at most 10,000 results per query (docs: crm/search "Limitations"). */
export const SEARCH_WINDOW = 10_000;

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly category: string,
    readonly headers: Record<string, string> = {},
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

const CONTACT_OBJECT_TYPE = "0-1";

export async function startHubSpotStandIn(opts: HubSpotStandInOptions = {}): Promise<HubSpotStandIn> {
  const state = opts.state ?? new HubSpotState();
  const server = http.createServer((req, res) => void handle(state, req, res));
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, opts.host ?? "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    state,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function handle(state: HubSpotState, req: IncomingMessage, res: ServerResponse) {
  const url = new URL(req.url ?? "/", "http://stand-in");
  const query = Object.fromEntries(url.searchParams);
  const raw = await readBody(req);
  let body: unknown = null;
  try {
    body = raw.length ? JSON.parse(raw.toString("utf8")) : null;
  } catch {
    body = null;
  }
  const method = (req.method ?? "GET").toUpperCase();
  let status = 200;
  try {
    if (state.faults.delayMs) await new Promise((r) => setTimeout(r, state.faults.delayMs));
    authorize(state, req);
    injectFaults(state, url.pathname);
    const answer = route(state, method, url.pathname, url.searchParams, body);
    status = answer.status ?? 200;
    sendJson(res, status, answer.body);
  } catch (err) {
    const e = err instanceof HttpError ? err : new HttpError(500, "internal error", "INTERNAL_ERROR");
    status = e.status;
    sendJson(
      res,
      e.status,
      { status: "error", message: e.message, correlationId: crypto.randomUUID(), category: e.category, ...e.extra },
      e.headers,
    );
  } finally {
    state.requests.push({ method, path: url.pathname, query, body, status });
  }
}

function authorize(state: HubSpotState, req: IncomingMessage) {
  const m = /^Bearer (.+)$/.exec(req.headers.authorization ?? "");
  if (!m || !state.tokens.has(m[1]!))
    throw new HttpError(
      401,
      "Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview",
      "INVALID_AUTHENTICATION",
    );
}

function injectFaults(state: HubSpotState, path: string) {
  state.calls++;
  const f = state.faults;
  if (f.rateLimitEvery > 0 && state.calls % f.rateLimitEvery === 0)
    throw new HttpError(
      429,
      "You have reached your secondly limit.",
      "RATE_LIMITS",
      f.retryAfterSeconds === null ? {} : { "retry-after": String(f.retryAfterSeconds) },
      { errorType: "RATE_LIMIT", policyName: "SECONDLY" },
    );
  const fail = f.failNext.find((x) => x.remaining > 0 && (!x.pathPrefix || path.startsWith(x.pathPrefix)));
  if (fail) {
    fail.remaining--;
    throw new HttpError(fail.status, "injected fault", fail.status >= 500 ? "INTERNAL_ERROR" : "VALIDATION_ERROR");
  }
}

function contactJson(c: StandInContact, properties: string[] | null) {
  const wanted = properties ?? ["createdate", "email", "firstname", "lastmodifieddate", "lastname", "hs_object_id"];
  const props: Record<string, string | null> = {};
  for (const name of wanted) props[name] = c.properties[name] ?? null;
  return {
    id: c.id,
    properties: props,
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
    archived: false,
  };
}

function limitOf(raw: unknown, max: number, dflt: number): number {
  const n = Number(raw ?? dflt);
  if (!Number.isInteger(n) || n < 1) throw new HttpError(400, `limit must be a positive integer`, "VALIDATION_ERROR");
  return Math.min(n, max);
}

function listJson(l: StandInList) {
  return {
    listId: l.listId,
    name: l.name,
    listVersion: 1,
    processingType: l.processingType,
    processingStatus: "COMPLETE",
    objectTypeId: CONTACT_OBJECT_TYPE,
    createdAt: l.createdAt.toISOString(),
    updatedAt: l.updatedAt.toISOString(),
    additionalProperties: { hs_list_size: String(l.members.size) },
  };
}

type Answer = { status?: number; body: unknown };

function route(state: HubSpotState, method: string, path: string, qs: URLSearchParams, body: unknown): Answer {
  const b = (body ?? {}) as Record<string, unknown>;
  if (method === "GET" && path === "/account-info/v3/details")
    return {
      body: {
        portalId: state.portalId,
        accountType: "STANDARD",
        timeZone: "Asia/Tokyo",
        companyCurrency: "JPY",
        additionalCurrencies: [],
        utcOffset: "+09:00",
        utcOffsetMilliseconds: 32_400_000,
        uiDomain: state.uiDomain,
        dataHostingLocation: "na1",
      },
    };

  if (method === "GET" && path === "/crm/v3/objects/contacts") {
    // Basic paging: ascending id; `after` is the id to continue from (opaque to clients).
    const limit = limitOf(qs.get("limit"), 100, 10);
    const after = qs.get("after");
    const props = qs.getAll("properties").flatMap((p) => p.split(","));
    const all = state.sortedContacts().filter((c) => !after || Number(c.id) >= Number(after));
    const page = all.slice(0, limit);
    const next = all[limit];
    return {
      body: {
        results: page.map((c) => contactJson(c, props.length ? props : null)),
        ...(next ? { paging: { next: { after: next.id, link: `?after=${next.id}` } } } : {}),
      },
    };
  }

  if (method === "POST" && path === "/crm/v3/objects/contacts/search") return searchContacts(state, b);

  if (method === "POST" && path === "/crm/v3/objects/contacts/batch/update") {
    const inputs = (b.inputs ?? []) as Array<{ id: string; properties: Record<string, string> }>;
    if (inputs.length > 100) throw new HttpError(400, "Too many inputs: at most 100", "VALIDATION_ERROR");
    const known = new Set(state.properties.map((p) => p.name));
    for (const input of inputs) {
      if (!state.contacts.has(input.id)) throw new HttpError(400, `Object ${input.id} not found`, "OBJECT_NOT_FOUND");
      for (const name of Object.keys(input.properties))
        if (!known.has(name)) throw new HttpError(400, `Property "${name}" does not exist`, "VALIDATION_ERROR");
    }
    const started = new Date();
    const results = inputs.map((i) => contactJson(state.updateContact(i.id, i.properties), Object.keys(i.properties)));
    return { body: { status: "COMPLETE", results, startedAt: started.toISOString(), completedAt: new Date().toISOString() } };
  }

  if (method === "GET" && path === "/crm/v3/properties/contacts") return { body: { results: state.properties } };

  if (method === "POST" && path === "/crm/v3/properties/contacts") {
    const name = String(b.name ?? "");
    if (!/^[a-z][a-z0-9_]*$/.test(name)) throw new HttpError(400, "Invalid property name", "VALIDATION_ERROR");
    if (state.properties.some((p) => p.name === name))
      throw new HttpError(409, `A property named '${name}' already exists.`, "OBJECT_ALREADY_EXISTS");
    const p = {
      name,
      label: String(b.label ?? name),
      type: String(b.type ?? "string"),
      fieldType: String(b.fieldType ?? "text"),
      groupName: String(b.groupName ?? "contactinformation"),
      description: String(b.description ?? ""),
      options: (b.options as [] | undefined) ?? [],
      hubspotDefined: false,
    };
    state.properties.push(p);
    return { status: 201, body: p };
  }

  if (method === "POST" && path === "/crm/v3/lists/search") {
    const offset = Number(b.offset ?? 0);
    const count = Math.min(Number(b.count ?? 20), 500);
    const types = (b.processingTypes as string[] | undefined) ?? null;
    const q = String(b.query ?? "").toLowerCase();
    const all = state.lists.filter((l) => (!types || types.includes(l.processingType)) && l.name.toLowerCase().includes(q));
    const page = all.slice(offset, offset + count);
    return {
      body: { lists: page.map(listJson), offset: offset + page.length, hasMore: offset + page.length < all.length, total: all.length },
    };
  }

  const members = /^\/crm\/v3\/lists\/([^/]+)\/memberships$/.exec(path);
  if (method === "GET" && members) {
    const list = state.lists.find((l) => l.listId === members[1]);
    if (!list) throw new HttpError(404, `List ${members[1]} not found`, "OBJECT_NOT_FOUND");
    const limit = limitOf(qs.get("limit"), 250, 100);
    const ids = [...list.members.keys()].sort((a, b2) => Number(a) - Number(b2));
    const after = qs.get("after");
    const start = after ? ids.findIndex((id) => Number(id) >= Number(Buffer.from(after, "base64url").toString())) : 0;
    const rest = start < 0 ? [] : ids.slice(start);
    const page = rest.slice(0, limit);
    const next = rest[limit];
    return {
      body: {
        results: page.map((id) => ({ recordId: id, membershipTimestamp: list.members.get(id)!.toISOString() })),
        total: ids.length,
        ...(next ? { paging: { next: { after: Buffer.from(next).toString("base64url") } } } : {}),
      },
    };
  }

  throw new HttpError(404, `No route for ${method} ${path}`, "OBJECT_NOT_FOUND");
}

interface SearchFilter {
  propertyName: string;
  operator: string;
  value?: string;
}

/** POST /crm/v3/objects/contacts/search: filters EQ/GTE/GT/LTE/LT/HAS_PROPERTY, one sort, `after` offset. */
function searchContacts(state: HubSpotState, b: Record<string, unknown>): Answer {
  const limit = limitOf(b.limit, 200, 10);
  const after = Number(b.after ?? 0);
  if (after + limit > SEARCH_WINDOW) throw new HttpError(400, `Cannot page beyond ${SEARCH_WINDOW} results`, "VALIDATION_ERROR");
  const groups = (b.filterGroups ?? []) as Array<{ filters: SearchFilter[] }>;
  const valueOf = (c: StandInContact, name: string) => {
    const v = c.properties[name];
    if (v == null) return null;
    return name === "lastmodifieddate" || name === "createdate" ? String(Date.parse(v)) : v;
  };
  const matches = (c: StandInContact, f: SearchFilter) => {
    const v = valueOf(c, f.propertyName);
    if (f.operator === "HAS_PROPERTY") return v != null;
    if (v == null) return false;
    const [x, y] = /^-?\d+(\.\d+)?$/.test(v) && /^-?\d+(\.\d+)?$/.test(f.value ?? "") ? [Number(v), Number(f.value)] : [v, f.value ?? ""];
    switch (f.operator) {
      case "EQ":
        return x === y;
      case "GTE":
        return x >= y;
      case "GT":
        return x > y;
      case "LTE":
        return x <= y;
      case "LT":
        return x < y;
      default:
        throw new HttpError(400, `Unsupported operator ${f.operator}`, "VALIDATION_ERROR");
    }
  };
  let all = state.sortedContacts().filter((c) => !groups.length || groups.some((g) => g.filters.every((f) => matches(c, f))));
  const sort = ((b.sorts ?? []) as Array<string | { propertyName: string; direction?: string }>)[0];
  if (sort) {
    const name = typeof sort === "string" ? sort.replace(/^-/, "") : sort.propertyName;
    const desc = typeof sort === "string" ? sort.startsWith("-") : sort.direction === "DESCENDING";
    all = [...all].sort((x, y) => {
      const a = Number(valueOf(x, name) ?? 0) - Number(valueOf(y, name) ?? 0) || Number(x.id) - Number(y.id);
      return desc ? -a : a;
    });
  }
  const page = all.slice(after, after + limit);
  const props = (b.properties as string[] | undefined) ?? null;
  const nextAfter = after + page.length;
  return {
    body: {
      total: all.length,
      results: page.map((c) => contactJson(c, props)),
      ...(nextAfter < all.length ? { paging: { next: { after: String(nextAfter), link: "" } } } : {}),
    },
  };
}

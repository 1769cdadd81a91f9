/**
 * The Klaviyo stand-in's data: one account (its private API keys), profiles, lists, segments and
 * their memberships, and events. Plain in-memory state; tests and the sandbox seed it directly and
 * read it back to assert on what the app wrote.
 */
import crypto from "node:crypto";

export type PropertyValue = string | number | boolean | null | PropertyValue[] | { [k: string]: PropertyValue };

/** Profile attributes as Klaviyo names them (JSON:API `attributes`, snake_case). */
export interface ProfileAttributes {
  email: string | null;
  phone_number: string | null;
  external_id: string | null;
  first_name: string | null;
  last_name: string | null;
  organization: string | null;
  locale: string | null;
  title: string | null;
  image: string | null;
  location: Record<string, string | number | null> | null;
  /** Custom properties ("properties.<name>" in Klaviyo's segment builder). */
  properties: Record<string, PropertyValue>;
}

export interface Profile extends ProfileAttributes {
  id: string;
  created: Date;
  updated: Date;
  last_event_date: Date | null;
}

export interface Group {
  id: string;
  kind: "list" | "segment";
  name: string;
  created: Date;
  updated: Date;
  /** profile id → joined_group_at, in join order. */
  members: Map<string, Date>;
}

export interface StoredEvent {
  id: string;
  metric: string;
  profileId: string;
  uniqueId: string;
  time: Date;
  properties: Record<string, PropertyValue>;
}

export interface RequestLogEntry {
  method: string;
  path: string;
  query: Record<string, string>;
  operationId?: string;
  body?: unknown;
  status: number;
  /** Request problems against the spec (the answer was then 400). */
  requestProblems: Array<{ where: string; message: string }>;
  /** Answer problems against the spec (only when the stand-in validates responses). */
  responseProblems: Array<{ where: string; message: string }>;
  fault?: string;
}

const EMPTY_ATTRIBUTES: ProfileAttributes = {
  email: null,
  phone_number: null,
  external_id: null,
  first_name: null,
  last_name: null,
  organization: null,
  locale: null,
  title: null,
  image: null,
  location: null,
  properties: {},
};

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

export class KlaviyoState {
  readonly account = {
    id: "XyZ123",
    organizationName: "Sandbox Store",
    timezone: "Asia/Tokyo",
    currency: "JPY",
    publicApiKey: "XyZ123",
  };
  /** Private API keys accepted in `Authorization: Klaviyo-API-Key <key>`. */
  readonly apiKeys = new Set<string>(["pk_sandbox_0000000000000000000000000000"]);
  readonly profiles = new Map<string, Profile>();
  readonly groups = new Map<string, Group>();
  readonly events: StoredEvent[] = [];
  readonly requests: RequestLogEntry[] = [];
  private seq = 0;
  /** The stand-in's clock (Klaviyo's `created`/`updated`); tests may replace it. */
  now: () => Date = () => new Date();

  /** ULID-shaped profile id (26 Crockford base32 characters), like Klaviyo's. */
  private profileId(): string {
    let n = Date.now() * 1000 + ++this.seq;
    let s = "";
    for (let i = 0; i < 26; i++) {
      s = CROCKFORD[n % 32] + s;
      n = Math.floor(n / 32);
    }
    return s;
  }

  createProfile(attrs: Partial<ProfileAttributes>, at: Date = this.now()): Profile {
    const p: Profile = {
      ...EMPTY_ATTRIBUTES,
      ...attrs,
      properties: { ...(attrs.properties ?? {}) },
      id: this.profileId(),
      created: at,
      updated: at,
      last_event_date: null,
    };
    this.profiles.set(p.id, p);
    return p;
  }

  /**
   * Klaviyo's update rule: an attribute set to null is cleared, one left out is unchanged; custom
   * properties are merged key by key. `updated` moves only when something changed.
   */
  updateProfile(id: string, attrs: Partial<ProfileAttributes>, at: Date = this.now()): Profile {
    const p = this.profiles.get(id);
    if (!p) throw new Error(`no profile ${id}`);
    const before = JSON.stringify(p);
    const { properties, ...rest } = attrs;
    Object.assign(p, Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)));
    if (properties) Object.assign(p.properties, properties);
    if (JSON.stringify(p) !== before) p.updated = at;
    return p;
  }

  /** The profile an upsert or event identifies: by id, else email, else phone number, else external id. */
  findProfile(ident: {
    id?: string | null;
    email?: string | null;
    phone_number?: string | null;
    external_id?: string | null;
  }): Profile | undefined {
    if (ident.id) return this.profiles.get(ident.id);
    for (const key of ["email", "phone_number", "external_id"] as const) {
      const v = ident[key];
      if (v) for (const p of this.profiles.values()) if (p[key] === v) return p;
    }
    return undefined;
  }

  createGroup(kind: "list" | "segment", name: string, at: Date = this.now()): Group {
    const id = crypto.randomBytes(4).toString("base64url").slice(0, 6);
    const g: Group = { id, kind, name, created: at, updated: at, members: new Map() };
    this.groups.set(id, g);
    return g;
  }

  addMembers(groupId: string, profileIds: string[], at: Date = this.now()): void {
    const g = this.groups.get(groupId);
    if (!g) throw new Error(`no list/segment ${groupId}`);
    for (const id of profileIds) if (!g.members.has(id)) g.members.set(id, at);
    g.updated = at;
  }

  removeMembers(groupId: string, profileIds: string[], at: Date = this.now()): void {
    const g = this.groups.get(groupId);
    if (!g) throw new Error(`no list/segment ${groupId}`);
    for (const id of profileIds) g.members.delete(id);
    g.updated = at;
  }

  groupsOf(kind: "list" | "segment"): Group[] {
    return [...this.groups.values()].filter((g) => g.kind === kind);
  }

  /**
   * Records an event unless one with the same profile, metric and unique_id exists (Klaviyo: "If the
   * unique_id is repeated for the same profile and metric, only the first processed event will be
   * recorded"). Without a unique_id Klaviyo uses the time to the second. Returns false for a duplicate.
   */
  recordEvent(e: Omit<StoredEvent, "id" | "uniqueId"> & { uniqueId?: string | null }): boolean {
    const uniqueId = e.uniqueId ?? String(Math.floor(e.time.getTime() / 1000));
    if (this.events.some((x) => x.profileId === e.profileId && x.metric === e.metric && x.uniqueId === uniqueId)) return false;
    this.events.push({ ...e, uniqueId, id: crypto.randomUUID() });
    const p = this.profiles.get(e.profileId);
    if (p && (!p.last_event_date || p.last_event_date < e.time)) p.last_event_date = e.time;
    return true;
  }
}

// State of the HubSpot stand-in: one portal (account) with contacts, contact properties and lists.
// Shapes follow @hubspot/api-client's generated models (crm/contacts SimplePublicObject,
// crm/properties Property, crm/lists PublicObjectList / JoinTimeAndRecordId).

export interface StandInContact {
  id: string;
  /** HubSpot returns every property value as a string (or null). */
  properties: Record<string, string | null>;
  createdAt: Date;
  updatedAt: Date;
}

export interface StandInProperty {
  name: string;
  label: string;
  /** HubSpot property types: string | number | date | datetime | enumeration | bool | phone_number. */
  type: string;
  fieldType: string;
  groupName: string;
  description: string;
  options: Array<{ label: string; value: string; hidden: boolean; displayOrder?: number }>;
  hubspotDefined?: boolean;
}

export interface StandInList {
  listId: string;
  name: string;
  /** MANUAL | DYNAMIC | SNAPSHOT */
  processingType: string;
  members: Map<string, Date>;
  createdAt: Date;
  updatedAt: Date;
}

export interface RequestLogEntry {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  status: number;
}

/** Faults the stand-in injects (tests and the sandbox). */
export interface HubSpotFaults {
  /** Answer 429 to every n-th API call (1-based count of calls since set; 0 = off). */
  rateLimitEvery: number;
  /** Seconds sent in Retry-After with a 429 (null = no header, like many real HubSpot 429s). */
  retryAfterSeconds: number | null;
  /** The next n calls whose path starts with `pathPrefix` (or any call) answer `status`. */
  failNext: Array<{ status: number; remaining: number; pathPrefix?: string }>;
  /** Delay before every answer (ms): lets a test stop a worker in the middle of a sync. */
  delayMs: number;
}

const DEFAULT_PROPERTIES: StandInProperty[] = [
  prop("email", "Email", "string", "text"),
  prop("firstname", "First Name", "string", "text"),
  prop("lastname", "Last Name", "string", "text"),
  prop("phone", "Phone Number", "string", "phonenumber"),
  prop("company", "Company Name", "string", "text"),
  prop("lifecyclestage", "Lifecycle Stage", "enumeration", "radio", [
    ["subscriber", "Subscriber"],
    ["lead", "Lead"],
    ["marketingqualifiedlead", "Marketing Qualified Lead"],
    ["salesqualifiedlead", "Sales Qualified Lead"],
    ["opportunity", "Opportunity"],
    ["customer", "Customer"],
    ["evangelist", "Evangelist"],
    ["other", "Other"],
  ]),
  prop("hs_lead_status", "Lead Status", "enumeration", "radio", [
    ["NEW", "New"],
    ["OPEN", "Open"],
    ["IN_PROGRESS", "In Progress"],
    ["CONNECTED", "Connected"],
    ["UNQUALIFIED", "Unqualified"],
  ]),
  prop("num_associated_deals", "Number of Associated Deals", "number", "number"),
  prop("createdate", "Create Date", "datetime", "date"),
  prop("lastmodifieddate", "Last Modified Date", "datetime", "date"),
  prop("hs_object_id", "Record ID", "number", "number"),
];

function prop(name: string, label: string, type: string, fieldType: string, options: Array<[string, string]> = []): StandInProperty {
  return {
    name,
    label,
    type,
    fieldType,
    groupName: "contactinformation",
    description: "",
    options: options.map(([value, l], i) => ({ value, label: l, hidden: false, displayOrder: i })),
    hubspotDefined: true,
  };
}

export class HubSpotState {
  portalId = 24000001;
  uiDomain = "app.hubspot.com";
  /** Private app access tokens the portal accepts. */
  tokens = new Set<string>();
  contacts = new Map<string, StandInContact>();
  properties: StandInProperty[] = DEFAULT_PROPERTIES.map((p) => ({ ...p, options: [...p.options] }));
  lists: StandInList[] = [];
  requests: RequestLogEntry[] = [];
  faults: HubSpotFaults = { rateLimitEvery: 0, retryAfterSeconds: 1, failNext: [], delayMs: 0 };
  /** API calls counted for rateLimitEvery. */
  calls = 0;
  private nextId = 101;
  private nextListId = 1;

  /** Adds a contact; `lastmodifieddate`/`createdate` are kept in step with updatedAt as HubSpot does. */
  addContact(properties: Record<string, string | null>, at: Date = new Date()): StandInContact {
    const id = String(this.nextId++);
    const c: StandInContact = { id, properties: {}, createdAt: at, updatedAt: at };
    this.contacts.set(id, c);
    this.updateContact(id, { ...properties, createdate: at.toISOString(), hs_object_id: id }, at);
    return c;
  }

  updateContact(id: string, properties: Record<string, string | null>, at: Date = new Date()): StandInContact {
    const c = this.contacts.get(id);
    if (!c) throw new Error(`no contact ${id}`);
    Object.assign(c.properties, properties);
    c.updatedAt = at;
    c.properties.lastmodifieddate = at.toISOString();
    return c;
  }

  addList(name: string, memberIds: string[] = [], processingType = "MANUAL", at: Date = new Date()): StandInList {
    const list: StandInList = {
      listId: String(this.nextListId++),
      name,
      processingType,
      members: new Map(memberIds.map((id) => [id, at])),
      createdAt: at,
      updatedAt: at,
    };
    this.lists.push(list);
    return list;
  }

  /** Contacts in HubSpot's default paging order (ascending id). */
  sortedContacts(): StandInContact[] {
    return [...this.contacts.values()].sort((a, b) => Number(a.id) - Number(b.id));
  }
}

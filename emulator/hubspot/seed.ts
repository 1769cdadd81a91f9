/**
 * Seeds the HubSpot stand-in for the sandbox: contacts for part of the synthetic store's customers
 * (scripts/sandbox/generator.ts, same options → same customers, so emails match and contacts are
 * matched to customers and their LINE friends), some with their phone number; contacts of people
 * who are not store customers; a custom property holding the LINE user id for part of the friends;
 * HubSpot's standard properties (lifecycle stage, lead status, company, deals); and lists (a manual
 * list and "segments", HubSpot's active lists). A private app token the merchant pastes into the
 * Integrations page. Deterministic for a seed.
 */
import { generateStore, mulberry32, type GeneratorOptions } from "../../scripts/sandbox/generator.js";
import type { HubSpotState, StandInContact } from "./state.js";

export interface HubSpotSeedOptions {
  store: GeneratorOptions;
  /** Share of customers with a HubSpot contact (default 0.6). */
  contactShare?: number;
  /** Share of those who are LINE friends whose contact carries the LINE user id (default 0.3). */
  lineUserIdShare?: number;
  /** Contacts not in the store, relative to customers (default 0.15). */
  extraShare?: number;
}

export interface HubSpotSeedResult {
  accessToken: string;
  contacts: number;
  customerContacts: number;
  withLineUserId: number;
  lists: Record<string, string>;
}

/** The sandbox portal's private app access token (HubSpot tokens look like pat-<region>-<uuid>). */
export const SANDBOX_HUBSPOT_TOKEN = "pat-na1-5a4d1b0c-0000-4000-8000-5a4db0c0ffee";
/** The custom contact property the seeded portal keeps LINE user ids in. */
export const SANDBOX_LINE_USER_ID_PROPERTY = "line_user_id";

const STAGES = ["subscriber", "lead", "marketingqualifiedlead", "opportunity", "customer", "evangelist"];
const LEAD_STATUS = ["NEW", "OPEN", "IN_PROGRESS", "CONNECTED", "UNQUALIFIED"];
const COMPANIES = ["Sakura Trading", "Chao Phraya Foods", "Formosa Design", "Hokkaido Dairy", null, null];

export function seedHubSpotStandIn(state: HubSpotState, opts: HubSpotSeedOptions): HubSpotSeedResult {
  const rnd = mulberry32((opts.store.seed ?? 42) + 11);
  const now = opts.store.now ?? new Date();
  const at = (daysAgo: number) => new Date(now.getTime() - daysAgo * 86_400_000);
  state.tokens.add(SANDBOX_HUBSPOT_TOKEN);
  if (!state.properties.some((p) => p.name === SANDBOX_LINE_USER_ID_PROPERTY))
    state.properties.push({
      name: SANDBOX_LINE_USER_ID_PROPERTY,
      label: "LINE user ID",
      type: "string",
      fieldType: "text",
      groupName: "contactinformation",
      description: "",
      options: [],
      hubspotDefined: false,
    });

  const customers = new Map<number, { email: string; first: string; last: string; phone: string | null }>();
  const lineIdOf = new Map<number, string>();
  let lastCustomer: number | undefined;
  for (const ev of generateStore(opts.store)) {
    if (ev.kind === "webhook" && ev.topic === "customers/create") {
      const c = ev.payload as { id: number; email: string; first_name: string; last_name: string; phone?: string | null };
      customers.set(c.id, { email: c.email, first: c.first_name, last: c.last_name, phone: c.phone ?? null });
      lastCustomer = c.id;
    } else if (ev.kind === "friend" && ev.isCustomer && lastCustomer !== undefined) {
      // The generator yields a customer's friend record after that customer's own events.
      lineIdOf.set(lastCustomer, ev.lineUserId);
    }
  }

  const created: StandInContact[] = [];
  let withLineUserId = 0;
  const standard = () => ({
    lifecyclestage: STAGES[Math.floor(rnd() * STAGES.length)]!,
    hs_lead_status: LEAD_STATUS[Math.floor(rnd() * LEAD_STATUS.length)]!,
    company: COMPANIES[Math.floor(rnd() * COMPANIES.length)] ?? null,
    num_associated_deals: String(Math.floor(rnd() * 4)),
  });
  for (const [id, c] of customers) {
    if (rnd() >= (opts.contactShare ?? 0.6)) continue;
    const props: Record<string, string | null> = { email: c.email, firstname: c.first, lastname: c.last, phone: c.phone, ...standard() };
    const lineUserId = lineIdOf.get(id);
    if (lineUserId && rnd() < (opts.lineUserIdShare ?? 0.3)) {
      props[SANDBOX_LINE_USER_ID_PROPERTY] = lineUserId;
      withLineUserId++;
    }
    created.push(state.addContact(props, at(rnd() * 365)));
  }
  const customerContacts = created.length;
  const extra = Math.round(customers.size * (opts.extraShare ?? 0.15));
  for (let i = 1; i <= extra; i++)
    created.push(state.addContact({ email: `prospect${i}@example.org`, firstname: `Prospect ${i}`, ...standard() }, at(rnd() * 365)));

  const vip = state.addList("VIP customers", [], "DYNAMIC", at(400));
  const trade = state.addList("Trade show 2026", [], "MANUAL", at(200));
  const nurture = state.addList("Lead nurture", [], "DYNAMIC", at(300));
  for (const c of created) {
    if (c.properties.lifecyclestage === "customer" || c.properties.lifecyclestage === "evangelist") vip.members.set(c.id, c.updatedAt);
    if (rnd() < 0.2) trade.members.set(c.id, at(150));
    if (["lead", "marketingqualifiedlead"].includes(c.properties.lifecyclestage ?? "")) nurture.members.set(c.id, c.updatedAt);
  }
  return {
    accessToken: SANDBOX_HUBSPOT_TOKEN,
    contacts: created.length,
    customerContacts,
    withLineUserId,
    lists: Object.fromEntries([vip, trade, nurture].map((l) => [l.name, l.listId])),
  };
}

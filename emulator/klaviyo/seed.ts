/**
 * Seeds the Klaviyo stand-in with profiles for part of the sandbox's synthetic store
 * (scripts/sandbox/generator.ts, same options → same customers): a share of the customers get a
 * profile with their store email and name; a share of the LINE friends among them carry their LINE
 * user id in a custom property (the merchant's "LINE user id property", so matching can go through
 * it even when the friend is not linked to the customer); plus some profiles of people who are not
 * store customers. Custom properties of every type the segment editor offers (string, number, bool,
 * date, enumeration-like), three lists and two segments with members. Deterministic for a seed.
 */
import { generateStore, mulberry32, type GeneratorOptions } from "../../scripts/sandbox/generator.js";
import type { KlaviyoState, Profile } from "./state.js";

export interface KlaviyoSeedOptions {
  /** The store the sandbox generated (customers, seed, now … as given to generateStore). */
  store: GeneratorOptions;
  /** Share of customers with a Klaviyo profile (default 0.7). */
  profileShare?: number;
  /** Share of those who are LINE friends whose profile carries the LINE user id (default 0.5). */
  lineUserIdShare?: number;
  /** Custom property holding the LINE user id (default "line_user_id"). */
  lineUserIdProperty?: string;
  /** Profiles not in the store, relative to customers (default 0.1). */
  extraShare?: number;
}

export interface KlaviyoSeedResult {
  profiles: number;
  /** Profiles whose email is a store customer's. */
  customerProfiles: number;
  /** Profiles carrying a LINE user id property. */
  withLineUserId: number;
  lists: Record<string, string>;
  segments: Record<string, string>;
}

const PLANS = ["free", "silver", "gold"];

export function seedKlaviyoStandIn(state: KlaviyoState, opts: KlaviyoSeedOptions): KlaviyoSeedResult {
  const rnd = mulberry32((opts.store.seed ?? 42) + 7);
  const profileShare = opts.profileShare ?? 0.7;
  const lineShare = opts.lineUserIdShare ?? 0.5;
  const lineProp = opts.lineUserIdProperty ?? "line_user_id";
  const now = opts.store.now ?? new Date();

  const customers = new Map<number, { email: string; first: string; last: string; locale: string }>();
  const lineIdOf = new Map<number, string>();
  let lastCustomer: number | undefined;
  for (const ev of generateStore(opts.store)) {
    if (ev.kind === "webhook" && ev.topic === "customers/create") {
      const c = ev.payload as { id: number; email: string; first_name: string; last_name: string };
      customers.set(c.id, { email: c.email, first: c.first_name, last: c.last_name, locale: "ja-JP" });
      lastCustomer = c.id;
    } else if (ev.kind === "friend" && ev.isCustomer) {
      // The generator yields a customer's friend record after that customer's own events; linked
      // to the customer or not, it is theirs.
      if (lastCustomer !== undefined) lineIdOf.set(lastCustomer, ev.lineUserId);
    }
  }

  const created: Profile[] = [];
  let withLineUserId = 0;
  const at = (daysAgo: number) => new Date(now.getTime() - daysAgo * 86_400_000);
  for (const [id, c] of customers) {
    if (rnd() >= profileShare) continue;
    const properties: Record<string, string | number | boolean> = {
      plan: PLANS[Math.floor(rnd() * PLANS.length)],
      loyalty_points: Math.floor(rnd() * 5000),
      vip: rnd() < 0.15,
      last_newsletter_open: at(Math.floor(rnd() * 120)).toISOString(),
      favorite_category: rnd() < 0.5 ? "skincare" : "home",
    };
    const lineUserId = lineIdOf.get(id);
    if (lineUserId && rnd() < lineShare) {
      properties[lineProp] = lineUserId;
      withLineUserId++;
    }
    created.push(
      state.createProfile({ email: c.email, first_name: c.first, last_name: c.last, locale: c.locale, properties }, at(rnd() * 365)),
    );
  }
  const customerProfiles = created.length;
  const extra = Math.round(customers.size * (opts.extraShare ?? 0.1));
  for (let i = 1; i <= extra; i++) {
    created.push(
      state.createProfile({ email: `lead${i}@example.net`, properties: { plan: "free", loyalty_points: 0, vip: false } }, at(rnd() * 365)),
    );
  }

  const lists = {
    Newsletter: state.createGroup("list", "Newsletter", at(400)).id,
    "VIP Club": state.createGroup("list", "VIP Club", at(400)).id,
    "Back in stock": state.createGroup("list", "Back in stock", at(400)).id,
  };
  const segments = {
    "Engaged (90 days)": state.createGroup("segment", "Engaged (90 days)", at(400)).id,
    "Gold plan": state.createGroup("segment", "Gold plan", at(400)).id,
  };
  for (const p of created) {
    if (rnd() < 0.6) state.addMembers(lists.Newsletter, [p.id], p.created);
    if (p.properties.vip === true) state.addMembers(lists["VIP Club"], [p.id], p.created);
    if (rnd() < 0.1) state.addMembers(lists["Back in stock"], [p.id], p.created);
    if (Date.parse(String(p.properties.last_newsletter_open)) > at(90).getTime())
      state.addMembers(segments["Engaged (90 days)"], [p.id], p.created);
    if (p.properties.plan === "gold") state.addMembers(segments["Gold plan"], [p.id], p.created);
  }
  return { profiles: created.length, customerProfiles, withLineUserId, lists, segments };
}

// The embedded, offline segment planner: goal text → segment definition (docs/segments.md),
// deterministic and pure (no network, no model, `today` passed in). Pipeline:
//   1. the shop's names (friend tags, Shopify tags, products, link tags, menu areas) are found in
//      the NFKC text and replaced by placeholders, so a product called "Repeat Roast" is never
//      read as a concept;
//   2. normalizeGoal: lower case, number words → digits;
//   3. the text is cut into clauses at "and / or / who / 、/ และ …";
//   4. in each clause the lexicon finds concepts (bought, repeat, cart …) and modifiers (not,
//      never, recently, new), and quantities.ts the numbers with their units and comparators;
//   5. each concept becomes conditions (alternatives allowed), numbers going to the nearest
//      concept that can use them, a negation to the concept it precedes (follows, in Japanese);
//   6. clauses joined by "or" become alternative groups, the rest are AND-ed into every group.
// Where a goal is vague ("repeat customers", "recently") the planner records an ambiguity with
// options and a default: Consult mode asks, Auto mode uses the default and says so.
import type { Condition, ConditionGroup, SegmentDefinition } from "~/domain/segments/schema";
import { CONCEPTS, MODIFIERS, SEPARATORS, SHOPIFY_WORD, type Concept, type Modifier } from "./lexicon";
import { nfkc, normalizeGoal } from "./numbers";
import { durationDays, durationHours, findQuantities, type Quantity, type QuantityOp } from "./quantities";
import { describeCondition } from "~/domain/segments/summary";
import { defaultText, notes, type AmbiguityKey, type AssistantLocale } from "./messages";
import { dateOfDayNumber, dayNumber } from "~/domain/time/zoned";

const addDays = (date: string, n: number) => dateOfDayNumber(dayNumber(date) + n);

/** What the planner may look up in the shop (names as the merchant sees them). */
export interface ShopCatalog {
  tags: string[];
  shopifyTags: string[];
  products: Array<{ id: string; title: string }>;
  linkTags: string[];
  menuAreas: string[];
  /** ISO 4217, for VIP thresholds. */
  currency: string;
}

export interface Ambiguity {
  key: AmbiguityKey;
  /** The words of the goal it is about. */
  phrase: string;
  options: number[];
  default: number;
}

/** One part of the goal and what it became. */
export interface PlanPart {
  phrase: string;
  conditions: string[];
  note?: string;
}

export interface Plan {
  definition: SegmentDefinition;
  parts: PlanPart[];
  /** Ambiguities met; `choices` resolved some, defaults filled the rest. */
  ambiguities: Ambiguity[];
  /** Stated defaults that were applied (Auto mode, or no choice given). */
  assumptions: string[];
  warnings: string[];
  /** False when nothing in the goal was understood. */
  understood: boolean;
  /** Short labels for a suggested segment name. */
  labels: string[];
}

export interface PlanInput {
  goal: string;
  locale: AssistantLocale;
  /** Shop-local date YYYY-MM-DD. */
  today: string;
  catalog: ShopCatalog;
  /** Answers to earlier questions, by ambiguity key. */
  choices?: Partial<Record<AmbiguityKey, number>>;
}

type EntityKind = "tag" | "shopifyTag" | "product" | "linkTag" | "area";
interface Entity {
  kind: EntityKind;
  names: string[];
  /** Product ids for products. */
  ids: string[];
  unknown?: boolean;
}

interface Match<K> {
  kind: K;
  start: number;
  end: number;
  text: string;
}

const PLACEHOLDER_BASE = 0xe000;
const isPlaceholder = (ch: string) => ch.charCodeAt(0) >= PLACEHOLDER_BASE && ch.charCodeAt(0) < PLACEHOLDER_BASE + 0x800;
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const isLatin = (s: string) => /^[\p{Script=Latin}\d\s\-_'&.]+$/u.test(s);

function nameRe(name: string): RegExp {
  const n = escapeRe(nfkc(name));
  return isLatin(name) ? new RegExp(`(?<![\\p{L}\\d])${n}(?:s|es)?(?![\\p{L}\\d])`, "giu") : new RegExp(n, "giu");
}

/** Shop names found in the text, longest first, as non-overlapping spans. */
function findEntities(text: string, catalog: ShopCatalog): Array<{ start: number; end: number; entity: Entity }> {
  const wantsShopify = SHOPIFY_WORD.test(text);
  const candidates: Array<{ name: string; kind: EntityKind; id?: string }> = [
    ...catalog.tags.map((name) => ({ name, kind: "tag" as const })),
    ...catalog.shopifyTags.map((name) => ({ name, kind: "shopifyTag" as const })),
    ...catalog.products.map((p) => ({ name: p.title, kind: "product" as const, id: p.id })),
    ...catalog.linkTags.map((name) => ({ name, kind: "linkTag" as const })),
    ...catalog.menuAreas.map((name) => ({ name, kind: "area" as const })),
  ].filter((c) => c.name.trim().length >= 2);
  candidates.sort((a, b) => b.name.length - a.name.length);
  const spans: Array<{ start: number; end: number; entity: Entity }> = [];
  for (const c of candidates) {
    for (const m of text.matchAll(nameRe(c.name))) {
      const start = m.index!;
      const end = start + m[0].length;
      const same = spans.find((s) => s.start === start && s.end === end);
      if (same) {
        // The same words name several things: a friend tag and a Shopify tag, or two products.
        if (same.entity.kind === c.kind || (c.kind === "shopifyTag" && same.entity.kind === "tag")) {
          if (c.kind === "product") same.entity.ids.push(c.id!);
          else if (c.kind === "shopifyTag" && !wantsShopify) same.entity.names.push(`shopify:${c.name}`);
          else if (c.kind === "shopifyTag") same.entity = { kind: "shopifyTag", names: [c.name], ids: [] };
        }
        continue;
      }
      if (spans.some((s) => start < s.end && end > s.start)) continue;
      spans.push({ start, end, entity: { kind: c.kind, names: [c.name], ids: c.id ? [c.id] : [] } });
    }
  }
  // Partial product titles: a quoted phrase, or the words right after "bought", found in titles.
  for (const m of text.matchAll(/["“「『'](.{2,60}?)["”」』']/gu)) {
    const q = m[1]!.toLowerCase();
    const ids = catalog.products.filter((p) => nfkc(p.title).toLowerCase().includes(q)).map((p) => p.id);
    const start = m.index!;
    const end = start + m[0].length;
    if (ids.length && !spans.some((s) => start < s.end && end > s.start))
      spans.push({ start, end, entity: { kind: "product", names: [m[1]!], ids } });
  }
  // Part of a title: two or more consecutive title words ("green tea"), or for titles in
  // Japanese, Chinese or Thai a run of at least two characters covering 40% of the title.
  const lower = text.toLowerCase();
  const partial = new Map<string, { start: number; end: number; ids: string[]; name: string }>();
  for (const p of catalog.products) {
    const title = nfkc(p.title).toLowerCase();
    const found = isLatin(title) ? latinRun(lower, title) : cjkRun(lower, title);
    if (!found) continue;
    const k = `${found.start}:${found.end}`;
    const prev = partial.get(k);
    if (prev) prev.ids.push(p.id);
    else partial.set(k, { ...found, ids: [p.id], name: text.slice(found.start, found.end) });
  }
  for (const f of [...partial.values()].sort((a, b) => b.end - b.start - (a.end - a.start)))
    if (!spans.some((s) => f.start < s.end && f.end > s.start))
      spans.push({ start: f.start, end: f.end, entity: { kind: "product", names: [f.name], ids: f.ids } });
  // "tagged X" / 「X」タグ / 標籤X / แท็ก X for a tag the shop does not have (yet).
  const tagPhrase =
    /(?:tagged(?: as| with)?|with (?:the )?tag|tag)\s+["“']?([\p{L}\d_-]{2,40})["”']?|["“']([^"”']{2,40})["”']\s*tag|「([^」]{1,40})」\s*タグ|タグ\s*「([^」]{1,40})」|標籤\s*[「"“]([^」"”]{1,20})[」"”]|標籤(?:為|是)\s*([^\s，,。]{1,20})|「([^」]{1,40})」\s*標籤|แท็ก\s*["“]?([^\s"”]{1,30})/giu;
  for (const m of text.matchAll(tagPhrase)) {
    const name = m.slice(1).find((g) => g !== undefined)!;
    const at = m.index! + m[0].lastIndexOf(name);
    if (spans.some((s) => at < s.end && at + name.length > s.start)) continue;
    if (/^(?:and|or|who|that|the|a|an|with)$/i.test(name)) continue;
    spans.push({ start: at, end: at + name.length, entity: { kind: "tag", names: [name], ids: [], unknown: true } });
  }
  return spans.sort((a, b) => a.start - b.start);
}

const STOP = new Set(["the", "a", "an", "of", "and", "or", "for", "with", "in", "on", "to", "by", "set", "pack"]);

/** Longest run of ≥ 2 consecutive title words (not all stop words) found in the text. */
function latinRun(text: string, title: string): { start: number; end: number } | null {
  const words = title.split(/[^\p{L}\d]+/u).filter(Boolean);
  for (let n = words.length; n >= 2; n--)
    for (let i = 0; i + n <= words.length; i++) {
      const run = words.slice(i, i + n);
      if (run.every((w) => STOP.has(w))) continue;
      const m = new RegExp(`(?<![\\p{L}\\d])${run.map(escapeRe).join("[^\\p{L}\\d]+")}(?![\\p{L}\\d])`, "u").exec(text);
      if (m) return { start: m.index, end: m.index + m[0].length };
    }
  return null;
}

/** Longest common substring (≥ 2 characters and ≥ 40% of the title) for CJK / Thai titles. */
function cjkRun(text: string, title: string): { start: number; end: number } | null {
  const min = Math.max(2, Math.ceil(title.length * 0.4));
  for (let n = title.length; n >= min; n--)
    for (let i = 0; i + n <= title.length; i++) {
      const sub = title.slice(i, i + n);
      if (/^[\s\d\p{P}]+$/u.test(sub)) continue;
      const at = text.indexOf(sub);
      if (at >= 0) return { start: at, end: at + n };
    }
  return null;
}

function allMatches<K extends string>(text: string, patterns: Array<{ kind: K; re: RegExp }>): Array<Match<K> & { index: number }> {
  const out: Array<Match<K> & { index: number }> = [];
  patterns.forEach((pat, index) => {
    for (const m of text.matchAll(pat.re)) out.push({ kind: pat.kind, start: m.index!, end: m.index! + m[0].length, text: m[0], index });
  });
  return out;
}

/** Longest match wins; ties go to the earlier pattern. */
function nonOverlapping<T extends { start: number; end: number; index: number }>(
  ms: T[],
  blocked: Array<{ start: number; end: number }> = [],
): T[] {
  const sorted = [...ms].sort((a, b) => b.end - b.start - (a.end - a.start) || a.index - b.index || a.start - b.start);
  const kept: T[] = [];
  for (const m of sorted) {
    if ([...kept, ...blocked].some((k) => m.start < k.end && m.end > k.start)) continue;
    kept.push(m);
  }
  return kept.sort((a, b) => a.start - b.start);
}

interface Clause {
  start: number;
  end: number;
  joiner: "and" | "or";
}

function clauses(text: string): Clause[] {
  const seps = nonOverlapping(allMatches(text, SEPARATORS));
  const out: Clause[] = [];
  let start = 0;
  let joiner: "and" | "or" = "and";
  for (const s of seps) {
    if (s.start > start) out.push({ start, end: s.start, joiner });
    joiner = s.kind;
    start = s.end;
    if (s.start <= (out[out.length - 1]?.end ?? 0) && out.length && s.kind === "or") joiner = "or";
  }
  if (start < text.length) out.push({ start, end: text.length, joiner });
  return out;
}

interface ConceptHit {
  kind: Concept | "entity";
  start: number;
  end: number;
  text: string;
  entity?: Entity;
  mods: Set<Modifier>;
  qtys: Quantity[];
  absorbed?: boolean;
  /** The span the concept's words and modifiers cover (for quoting it back). */
  from?: number;
  to?: number;
}

/** Which quantities each concept can use. */
const USES: Record<Concept | "entity", Array<Quantity["kind"]>> = {
  purchase: ["duration", "count", "bare"],
  repeat: ["count", "bare"],
  firstTime: ["duration"],
  dormant: ["duration", "bare"],
  spend: ["money", "bare"],
  vip: ["money"],
  friendAdded: ["duration", "date", "bare"],
  cart: ["duration"],
  click: ["count", "duration", "bare"],
  tap: ["count", "duration", "bare"],
  consentIn: [],
  consentOut: [],
  blocked: [],
  linked: [],
  unlinked: [],
  all: [],
  entity: ["duration", "count"],
};

/** Concepts that take over a plain "bought" in the same clause ("repeat purchasers", "spent … on orders"). */
const ABSORBS_PURCHASE = new Set<ConceptHit["kind"]>(["repeat", "firstTime", "dormant", "spend", "vip", "cart", "entity"]);

const VIP_AMOUNTS: Record<string, number[]> = {
  JPY: [30000, 50000, 100000],
  TWD: [10000, 20000, 50000],
  THB: [5000, 10000, 20000],
  USD: [300, 500, 1000],
};

const AMBIGUITY_OPTIONS: Record<Exclude<AmbiguityKey, "vipAmount">, { options: number[]; default: number }> = {
  repeat: { options: [2, 3], default: 2 },
  lapsed: { options: [30, 60, 90], default: 60 },
  recentBuyer: { options: [7, 30, 90], default: 30 },
  newFriend: { options: [7, 14, 30], default: 7 },
};

const ONBOARDING =
  /onboard|welcome|newcomer|new (?:line )?(?:friends?|followers?)|新規友|新しい友|オンボーディング|新好友|新加入|เพื่อนใหม่|ต้อนรับ/u;

const invert: Record<Exclude<QuantityOp, "between">, Exclude<QuantityOp, "between">> = {
  gt: "lte",
  gte: "lt",
  lt: "gte",
  lte: "gt",
  eq: "eq",
};

type Alternatives = Condition[][];

interface Produced {
  alts: Alternatives;
  /** Conditions from stated defaults yield to explicit ones on the same field. */
  isDefault?: boolean;
  label?: string;
  note?: string;
}

class Planner {
  ambiguities: Ambiguity[] = [];
  assumptions: string[] = [];
  warnings: string[] = [];
  labels: string[] = [];

  constructor(private input: PlanInput) {}

  private choose(key: AmbiguityKey, phrase: string, options: number[], def: number): number {
    this.ambiguities.push({ key, phrase, options, default: def });
    const chosen = this.input.choices?.[key];
    if (chosen !== undefined) return chosen;
    this.assumptions.push(defaultText(key, phrase, def, this.input.locale));
    return def;
  }

  private days(q: Quantity): number {
    return q.kind === "bare" ? Math.round(q.value as number) : durationDays(q);
  }

  /** A duration measured back from today: "within / in the last N" vs "more than N ago". */
  private isOlderThan(q: Quantity): boolean {
    return q.ago || ((q.op === "gt" || q.op === "gte") && !q.within);
  }

  produce(hit: ConceptHit): Produced | null {
    const neg = hit.mods.has("neg");
    const never = hit.mods.has("never");
    const recent = hit.mods.has("recent");
    const q = (...kinds: Array<Quantity["kind"]>) => hit.qtys.find((x) => kinds.includes(x.kind));
    const phrase = hit.text;
    switch (hit.kind) {
      case "entity":
        return this.entity(hit, neg || never);
      case "purchase": {
        const count = q("count") ?? (q("duration") ? undefined : q("bare"));
        const dur = q("duration");
        const out: Condition[] = [];
        if (count) {
          const c = this.countCondition("purchaseCount", count);
          if (c === null) return { alts: [[{ field: "hasPurchased", op: "is", value: false }]] };
          out.push(c);
        }
        if (dur) {
          const n = durationDays(dur);
          if (neg || never) out.push({ field: "daysSinceLastPurchase", op: dur.op === "gt" ? "gt" : "gte", value: n });
          else if (this.isOlderThan(dur)) out.push({ field: "daysSinceLastPurchase", op: dur.op === "gt" ? "gt" : "gte", value: n });
          else out.push({ field: "daysSinceLastPurchase", op: "lt", value: n });
        }
        if (out.length) return { alts: [out] };
        if (never) return { alts: [[{ field: "hasPurchased", op: "is", value: false }]], label: "never" };
        if (neg && recent) {
          const o = AMBIGUITY_OPTIONS.lapsed;
          const n = this.choose("lapsed", phrase, o.options, o.default);
          return { alts: [[{ field: "daysSinceLastPurchase", op: "gte", value: n }]] };
        }
        if (neg) return { alts: [[{ field: "hasPurchased", op: "is", value: false }]] };
        if (recent) {
          const o = AMBIGUITY_OPTIONS.recentBuyer;
          const n = this.choose("recentBuyer", phrase, o.options, o.default);
          return { alts: [[{ field: "daysSinceLastPurchase", op: "lt", value: n }]] };
        }
        return { alts: [[{ field: "hasPurchased", op: "is", value: true }]], isDefault: true };
      }
      case "repeat": {
        const count = q("count", "bare");
        if (count) {
          const c = this.countCondition("purchaseCount", count);
          return c ? { alts: [[c]] } : null;
        }
        if (neg) return { alts: [[{ field: "purchaseCount", op: "eq", value: 1 }]] };
        const o = AMBIGUITY_OPTIONS.repeat;
        const n = this.choose("repeat", phrase, o.options, o.default);
        return { alts: [[{ field: "purchaseCount", op: "gte", value: n }]], isDefault: true };
      }
      case "firstTime": {
        const out: Condition[] = [{ field: "purchaseCount", op: "eq", value: 1 }];
        const dur = q("duration");
        if (dur) out.push({ field: "daysSinceLastPurchase", op: "lt", value: durationDays(dur) });
        return { alts: [out] };
      }
      case "dormant": {
        const dur = q("duration", "bare");
        if (dur) return { alts: [[{ field: "daysSinceLastPurchase", op: dur.op === "gt" ? "gt" : "gte", value: this.days(dur) }]] };
        this.assumptions.push(defaultText("dormant", phrase, 90, this.input.locale));
        return { alts: [[{ field: "daysSinceLastPurchase", op: "gte", value: 90 }]], isDefault: true };
      }
      case "spend": {
        const m = q("money", "bare");
        if (!m) return null;
        const c = this.numeric("amountSpent", m, "gte");
        if (neg && c.op !== "between") c.op = invert[c.op as Exclude<QuantityOp, "between">];
        return { alts: [[c]] };
      }
      case "vip":
        return this.vip(hit);
      case "friendAdded":
        return this.friendAdded(hit, neg);
      case "cart": {
        const dur = q("duration");
        const c: Condition = { field: "abandonedCart", op: "is", value: !(neg || never) };
        if (dur) {
          const h = durationHours(dur);
          if (dur.op === "between" && Array.isArray(dur.value)) {
            c.minHours = dur.unit === "hours" ? dur.value[0] : dur.value[0] * 24;
            c.maxHours = h;
          } else if (this.isOlderThan(dur)) c.minHours = h;
          else c.maxHours = h;
        }
        return { alts: [[c]] };
      }
      case "click":
      case "tap": {
        const field = hit.kind === "click" ? "linkClicked" : "richMenuTapped";
        const count = q("count", "bare");
        const dur = q("duration");
        let c: Condition =
          neg || never
            ? ({ field, op: "eq", value: 0 } as Condition)
            : count
              ? (this.numeric(field, count, "gte") as Condition)
              : ({ field, op: "gte", value: 1 } as Condition);
        if (dur) c = { ...c, withinDays: durationDays(dur) } as Condition;
        if (hit.entity?.kind === "linkTag") c = { ...c, linkTag: hit.entity.names[0]! } as Condition;
        if (hit.entity?.kind === "area") c = { ...c, area: hit.entity.names[0]! } as Condition;
        return { alts: [[c]] };
      }
      case "consentIn":
        return { alts: [[{ field: "marketingConsent", op: "is", value: !neg }]] };
      case "consentOut":
        return { alts: [[{ field: "marketingConsent", op: "is", value: neg }]] };
      case "blocked":
        return { alts: [[{ field: "following", op: "is", value: neg }]] };
      case "linked":
        return { alts: [[{ field: "shopifyLinked", op: "is", value: !neg }]] };
      case "unlinked":
        return { alts: [[{ field: "shopifyLinked", op: "is", value: neg }]] };
      case "all":
        return { alts: [[]] };
    }
  }

  private numeric(field: "amountSpent" | "purchaseCount" | "linkClicked" | "richMenuTapped", q: Quantity, fallback: QuantityOp) {
    const op = q.op ?? fallback;
    const value = Array.isArray(q.value) ? q.value : q.value;
    const whole = field !== "amountSpent";
    const fix = (n: number) => (whole ? Math.round(n) : n);
    return {
      field,
      op,
      value:
        op === "between"
          ? Array.isArray(value)
            ? [fix(value[0]), fix(value[1])]
            : [fix(value), fix(value)]
          : fix(Array.isArray(value) ? value[0] : value),
    } as Condition & { op: QuantityOp };
  }

  /** purchaseCount from a number; null when it means "no purchases" (purchase conditions never match non-buyers). */
  private countCondition(field: "purchaseCount", q: Quantity): Condition | null {
    const n = Array.isArray(q.value) ? q.value[0] : q.value;
    const op = q.op ?? (n === 1 ? "eq" : "gte");
    if ((op === "eq" && n === 0) || (op === "lt" && n <= 1) || (op === "lte" && n === 0)) return null;
    return this.numeric(field, q, op);
  }

  private vip(hit: ConceptHit): Produced {
    const money = hit.qtys.find((x) => x.kind === "money");
    if (money) return { alts: [[this.numeric("amountSpent", money, "gte")]] };
    const { catalog, locale } = this.input;
    const tag = catalog.tags.find((t) => /^vips?$/i.test(t));
    const stag = catalog.shopifyTags.find((t) => /^vips?$/i.test(t));
    const alts: Alternatives = [];
    if (tag) alts.push([{ field: "tag", op: "has", value: tag }]);
    if (stag) alts.push([{ field: "shopifyTag", op: "hasAny", value: [stag] }]);
    if (alts.length) return { alts };
    const o = VIP_AMOUNTS[catalog.currency] ?? VIP_AMOUNTS.USD!;
    const n = this.choose("vipAmount", hit.text, o, o[1]!);
    void locale;
    return { alts: [[{ field: "amountSpent", op: "gte", value: n }]], isDefault: true };
  }

  private friendAdded(hit: ConceptHit, neg: boolean): Produced | null {
    const { today } = this.input;
    const date = hit.qtys.find((x) => x.kind === "date");
    if (date?.date) {
      const d = date.date;
      const c: Condition =
        date.dateOp === "before"
          ? { field: "friendAddedAt", op: "before", value: d }
          : date.dateOp === "after"
            ? { field: "friendAddedAt", op: "after", value: d }
            : date.dateOp === "since"
              ? { field: "friendAddedAt", op: "after", value: addDays(d, -1) }
              : { field: "friendAddedAt", op: "between", value: [d, d] };
      return { alts: [[c]] };
    }
    const dur = hit.qtys.find((x) => x.kind === "duration" || x.kind === "bare");
    if (dur) {
      const n = Math.max(1, this.days(dur));
      if (neg || this.isOlderThan(dur)) return { alts: [[{ field: "friendAddedAt", op: "before", value: addDays(today, -n + 1) }]] };
      return { alts: [[{ field: "friendAddedAt", op: "withinLastDays", value: n }]] };
    }
    if (hit.mods.has("recent")) {
      const o = AMBIGUITY_OPTIONS.newFriend;
      const n = this.choose("newFriend", hit.text, o.options, o.default);
      return { alts: [[{ field: "friendAddedAt", op: "withinLastDays", value: n }]] };
    }
    if (hit.mods.has("new") || ONBOARDING.test(hit.text)) {
      this.assumptions.push(defaultText("newFriendDefault", hit.text, 7, this.input.locale));
      return { alts: [[{ field: "friendAddedAt", op: "withinLastDays", value: 7 }]], isDefault: true };
    }
    // "friends who added us": every friend.
    return { alts: [[]] };
  }

  private entity(hit: ConceptHit, neg: boolean): Produced | null {
    const e = hit.entity!;
    const dur = hit.qtys.find((x) => x.kind === "duration");
    switch (e.kind) {
      case "tag": {
        if (e.unknown) this.warnings.push(notes(this.input.locale).unknownTag(e.names[0]!));
        const friend = e.names.filter((n) => !n.startsWith("shopify:"));
        const shopify = e.names.filter((n) => n.startsWith("shopify:")).map((n) => n.slice(8));
        const alts: Alternatives = [];
        if (neg) {
          const both: Condition[] = friend.map((t) => ({ field: "tag", op: "hasNot", value: t }) as Condition);
          if (shopify.length) both.push({ field: "shopifyTag", op: "hasNone", value: shopify });
          return { alts: [both] };
        }
        for (const t of friend) alts.push([{ field: "tag", op: "has", value: t }]);
        if (shopify.length) alts.push([{ field: "shopifyTag", op: "hasAny", value: shopify }]);
        return { alts };
      }
      case "shopifyTag":
        return { alts: [[{ field: "shopifyTag", op: neg ? "hasNone" : "hasAny", value: e.names }]] };
      case "product": {
        const ids = [...new Set(e.ids)];
        const withinDays = dur ? durationDays(dur) : undefined;
        const c = {
          field: "productPurchased",
          op: neg ? "hasNone" : "hasAny",
          value: ids,
          ...(withinDays ? { withinDays } : {}),
        } as Condition;
        // "never bought X" includes friends who never bought anything (purchase conditions exclude them).
        return { alts: neg ? [[c], [{ field: "hasPurchased", op: "is", value: false }]] : [[c]] };
      }
      case "linkTag":
      case "area":
        // Folded into the click / tap next to them (see planGoal).
        return null;
    }
  }
}

const product = (a: Alternatives, b: Alternatives): Alternatives => a.flatMap((x) => b.map((y) => [...x, ...y]));

/** "tagged A or B" → one hasAny condition instead of two groups (per field; other alternatives stay). */
function mergeAlternatives(alts: Alternatives): Alternatives {
  if (alts.length < 2) return alts;
  const mergeable = (a: Condition[]) =>
    a.length === 1 &&
    ((a[0]!.field === "tag" && (a[0]!.op === "has" || a[0]!.op === "hasAny")) ||
      ((a[0]!.field === "shopifyTag" || a[0]!.field === "productPurchased") && a[0]!.op === "hasAny"));
  const byField = new Map<string, Condition[]>();
  const rest: Alternatives = [];
  for (const a of alts) {
    if (!mergeable(a)) {
      rest.push(a);
      continue;
    }
    const c = a[0]!;
    const k = `${c.field}:${(c as { withinDays?: number }).withinDays ?? ""}`;
    byField.set(k, [...(byField.get(k) ?? []), c]);
  }
  const merged: Alternatives = [...byField.values()].map((cs) => {
    if (cs.length === 1) return [cs[0]!];
    const values = [...new Set(cs.flatMap((c) => ("value" in c ? (Array.isArray(c.value) ? c.value : [c.value]) : []) as string[]))];
    return [{ ...cs[0]!, op: "hasAny", value: values } as Condition];
  });
  return [...merged, ...rest];
}

const key = (c: Condition) => JSON.stringify(c);

/** Drop exact duplicates, defaults overruled by an explicit condition on the same field, and "has purchased" implied by another purchase condition. */
function tidy(conds: Array<Condition & { __default?: boolean }>): Condition[] {
  const seen = new Set<string>();
  const explicitFields = new Set(conds.filter((c) => !c.__default).map((c) => c.field));
  const PURCHASE_FIELDS = new Set(["purchaseCount", "amountSpent", "daysSinceLastPurchase", "productPurchased"]);
  const hasPurchaseCondition = conds.some((c) => PURCHASE_FIELDS.has(c.field) && !(c.field === "productPurchased" && c.op === "hasNone"));
  const out: Condition[] = [];
  for (const c of conds) {
    if (c.__default && explicitFields.has(c.field)) continue;
    if (c.field === "hasPurchased" && c.value === true && hasPurchaseCondition) continue;
    const { __default: _d, ...plain } = c;
    const k = key(plain as Condition);
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(plain as Condition);
  }
  return out;
}

/**
 * Plan a segment for a goal. Pure: the same input always gives the same plan.
 * The definition is built from the public condition types; callers validate it with
 * parseDefinition like any other definition (service.ts does).
 */
export function planGoal(input: PlanInput): Plan {
  const planner = new Planner(input);
  const { locale } = input;
  const goalText = nfkc(input.goal);
  const entities = findEntities(goalText, input.catalog);
  // Replace each entity by one private-use character so the rest never reads inside names.
  let withPlaceholders = "";
  let cursor = 0;
  entities.forEach((e, i) => {
    withPlaceholders += goalText.slice(cursor, e.start) + String.fromCharCode(PLACEHOLDER_BASE + i);
    cursor = e.end;
  });
  withPlaceholders += goalText.slice(cursor);
  const text = normalizeGoal(withPlaceholders);
  const allQuantities = findQuantities(text, input.today);
  const conceptMatches = nonOverlapping(allMatches(text, CONCEPTS));
  const modifierMatches = nonOverlapping(
    allMatches(text, MODIFIERS).map((m) => ({ ...m, forward: MODIFIERS[m.index]!.forward })),
    conceptMatches,
  );
  // A number inside a modifier is part of the word ("一度も" = never), not a quantity.
  const quantities = allQuantities.filter((q) => !modifierMatches.some((m) => q.start < m.end && q.end > m.start));
  const entityNames = (e: Entity) => (e.kind === "product" ? e.names[0]! : e.names.map((n) => n.replace(/^shopify:/, "")).join("/"));

  const parts: Plan["parts"] = [];
  const chains: Array<{ alts: Alternatives; defaults: boolean[][] }> = [];
  let understood = false;
  let all = false;

  const analysed: Array<{ clause: Clause; hits: ConceptHit[]; phrase: string }> = [];
  for (const clause of clauses(text)) {
    const inClause = (x: { start: number; end: number }) => x.start >= clause.start && x.end <= clause.end;
    const hits: ConceptHit[] = conceptMatches.filter(inClause).map((m) => ({ ...m, mods: new Set<Modifier>(), qtys: [] }));
    for (let i = clause.start; i < clause.end; i++) {
      const ch = text[i]!;
      if (isPlaceholder(ch)) {
        const e = entities[ch.charCodeAt(0) - PLACEHOLDER_BASE]!;
        hits.push({ kind: "entity", start: i, end: i + 1, text: entityNames(e.entity), entity: e.entity, mods: new Set(), qtys: [] });
      }
    }
    hits.sort((a, b) => a.start - b.start);
    // "tapped the rich menu": one concept said twice is one condition.
    for (let i = hits.length - 1; i > 0; i--) {
      const first = hits.find((h) => h.kind === hits[i]!.kind);
      if (hits[i]!.kind !== "entity" && first !== hits[i]) {
        first!.end = Math.max(first!.end, hits[i]!.end);
        hits.splice(i, 1);
      }
    }
    const phrase = text
      .slice(clause.start, clause.end)
      .replace(/[\uE000-\uE7FF]/gu, (ch) => entityNames(entities[ch.charCodeAt(0) - PLACEHOLDER_BASE]!.entity))
      .trim();
    if (!hits.length) {
      if (/\d/.test(phrase)) planner.warnings.push(notes(locale).ignored(phrase));
      continue;
    }
    // A concept that takes over "bought" inherits its negation and numbers.
    const absorber = hits.find((h) => ABSORBS_PURCHASE.has(h.kind) && (h.kind !== "entity" || h.entity!.kind === "product"));
    const mods = modifierMatches.filter(inClause);
    for (const m of mods) {
      const before = hits.filter((h) => h.end <= m.start);
      const after = hits.filter((h) => h.start >= m.end);
      const target = m.forward ? (after[0] ?? before[before.length - 1]) : (before[before.length - 1] ?? after[0]);
      if (!target) continue;
      target.mods.add(m.kind);
      // The words a question quotes: "haven't bought recently", not just "bought".
      if (target.kind !== "entity") {
        target.from = Math.min(target.from ?? target.start, m.start);
        target.to = Math.max(target.to ?? target.end, m.end);
        target.text = text.slice(target.from, target.to).trim();
      }
    }
    for (const q of quantities.filter(inClause)) {
      const usable = hits.filter((h) => USES[h.kind].includes(q.kind));
      if (!usable.length) continue;
      const dist = (h: ConceptHit) => (q.start >= h.end ? q.start - h.end : h.start - q.end);
      usable.sort((a, b) => dist(a) - dist(b));
      // Numbers of a "bought" next to an absorber belong to the absorber when it can use them.
      const target = usable[0]!.kind === "purchase" && absorber && USES[absorber.kind].includes(q.kind) ? absorber : usable[0]!;
      target.qtys.push(q);
    }
    for (const h of hits) {
      const want = h.entity?.kind === "linkTag" ? "click" : h.entity?.kind === "area" ? "tap" : null;
      if (!want) continue;
      const owner = hits.find((x) => x.kind === want);
      // A link tag or menu area only counts next to "clicked" / "tapped" ("coupon" alone is a word).
      h.absorbed = true;
      if (owner) owner.entity = h.entity;
    }
    if (absorber)
      for (const h of hits)
        if (h.kind === "purchase") {
          h.absorbed = true;
          for (const m of h.mods) absorber.mods.add(m);
          for (const q of h.qtys) if (USES[absorber.kind].includes(q.kind)) absorber.qtys.push(q);
        }
    analysed.push({ clause, hits, phrase });
  }

  // "abandoned a cart … but didn't buy (within 48 hours)": the missing purchase is what an
  // abandoned cart means, so it belongs to the cart, not to a purchase condition of its own.
  const cart = analysed.flatMap((a) => a.hits).find((h) => h.kind === "cart");
  if (cart)
    for (const { hits } of analysed)
      for (const h of hits)
        if (h.kind === "purchase" && !h.absorbed && (h.mods.has("neg") || h.mods.has("never"))) {
          h.absorbed = true;
          if (!cart.qtys.some((q) => q.kind === "duration")) cart.qtys.push(...h.qtys.filter((q) => q.kind === "duration"));
        }

  for (const { clause, hits, phrase } of analysed) {
    let clauseAlts: Alternatives = [[]];
    let clauseDefaults: boolean[][] = [[]];
    const described: string[] = [];
    const clauseNotes: string[] = [];
    for (const h of hits) {
      if (h.absorbed) continue;
      const before = planner.assumptions.length;
      const produced = planner.produce(h);
      if (!produced) continue;
      understood = true;
      if (h.kind === "all") all = true;
      if (planner.assumptions.length > before) clauseNotes.push(...planner.assumptions.slice(before));
      const next: Alternatives = [];
      const nextDefaults: boolean[][] = [];
      clauseAlts.forEach((a, i) =>
        produced.alts.forEach((b) => {
          next.push([...a, ...b]);
          nextDefaults.push([...clauseDefaults[i]!, ...b.map(() => produced.isDefault === true)]);
        }),
      );
      clauseAlts = next;
      clauseDefaults = nextDefaults;
      for (const alt of produced.alts) for (const c of alt) described.push(describeCondition(c, locale, productTitles(input.catalog)));
    }
    if (!described.length && !all) continue;
    parts.push({
      phrase,
      conditions: described.length ? described : [notes(locale).everyone],
      ...(clauseNotes.length ? { note: clauseNotes.join("; ") } : {}),
    });
    const last = chains[chains.length - 1];
    if (clause.joiner === "or" && last) {
      last.alts.push(...clauseAlts);
      last.defaults.push(...clauseDefaults);
    } else chains.push({ alts: clauseAlts, defaults: clauseDefaults });
  }

  let groups: Array<Array<Condition & { __default?: boolean }>> = [[]];
  for (const chain of chains) {
    const tagged: Array<Array<Condition & { __default?: boolean }>> = chain.alts.map((alt, i) =>
      alt.map((c, j) => (chain.defaults[i]![j] ? { ...c, __default: true } : c)),
    );
    const merged = mergeAlternatives(chain.alts);
    groups = product(groups, merged.length === chain.alts.length ? tagged : merged);
  }
  const definitionGroups: ConditionGroup[] = groups
    .map((g) => ({ conditions: tidy(g) }))
    .filter((g) => g.conditions.length > 0)
    .filter((g, i, arr) => arr.findIndex((x) => JSON.stringify(x) === JSON.stringify(g)) === i)
    .slice(0, 20);
  // A group with no conditions means "everyone" in an OR; all groups empty means all friends.
  const anyEmpty = groups.some((g) => tidy(g).length === 0) && chains.some((c) => c.alts.length > 1);
  const definition: SegmentDefinition = { groups: anyEmpty ? [] : definitionGroups };
  return {
    definition,
    parts,
    ambiguities: planner.ambiguities,
    assumptions: planner.assumptions,
    warnings: planner.warnings,
    understood: understood && (definition.groups.length > 0 || all),
    labels: parts.map((p) => p.phrase),
  };
}

function productTitles(catalog: ShopCatalog): Map<string, string> {
  return new Map(catalog.products.map((p) => [p.id, p.title]));
}

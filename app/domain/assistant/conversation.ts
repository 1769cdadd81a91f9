// One turn of the segment assistant over the planner: a new goal, the answer to a clarifying
// question (Consult mode asks at most one per goal), or a refinement of the current proposal
// ("only VIPs", "make it 60 days"). Pure: the conversation state goes in and comes out, the
// service stores it. Every definition leaving here has passed parseDefinition, the editor's own
// validator, so the assistant can never propose what the editor could not save.
import { parseDefinition, type Condition, type SegmentDefinition } from "~/domain/segments/schema";
import { describeCondition, describeDefinition } from "~/domain/segments/summary";
import type { PreviewCounts, PreviewSample } from "~/domain/segments/preview";
import { notes, questionText, type AmbiguityKey, type AssistantLocale } from "./messages";
import { normalizeGoal } from "./numbers";
import { planGoal, type Ambiguity, type PlanPart, type ShopCatalog } from "./planner";
import { findQuantities, durationDays } from "./quantities";
import { templateName } from "./templates";

export type AssistantMode = "auto" | "consult";

export interface ConversationState {
  /** The goal being planned (the first message of a goal). */
  goal: string | null;
  choices: Partial<Record<AmbiguityKey, number>>;
  /** A question waiting for its answer. */
  pending: { key: AmbiguityKey; options: number[]; default: number } | null;
  /** The current proposal's definition (refinements edit it). */
  definition: SegmentDefinition | null;
}

export const NEW_CONVERSATION: ConversationState = { goal: null, choices: {}, pending: null, definition: null };

export interface Proposal {
  name: string;
  definition: SegmentDefinition;
  summary: string;
  /** What each part of the goal became. */
  parts: PlanPart[];
  /** Stated defaults used to fill gaps. */
  assumptions: string[];
  warnings: string[];
}

export type Engine = "planner" | "llm";

/** A proposal as the merchant sees it: with the segment's live counts and newest members. */
export interface ProposalWithEstimate extends Proposal {
  estimate: PreviewCounts;
  sample: Array<Omit<PreviewSample, "followedAt">>;
  engine: Engine;
  /** Set when the language model was configured but could not be used. */
  fallbackNote?: string;
}

export type TurnResult =
  | { status: "question"; question: string; options: number[]; state: ConversationState }
  | { status: "proposal"; proposal: Proposal; state: ConversationState };

export interface TurnInput {
  text: string;
  mode: AssistantMode;
  locale: AssistantLocale;
  today: string;
  catalog: ShopCatalog;
  state: ConversationState;
}

const REFINE =
  /^\s*(?:only|also|and|but|plus|add|exclude|excluding|except|without|remove|make it|change|instead|just|limit|narrow|restrict|or)\b|^\s*(?:ただし|さらに|あと|それと)|(?:だけ|のみ|も|に変更|にして)\s*[。.!！]?\s*$|^\s*(?:只要|只|也|還有|还有|再加上|排除|除了|改成|改為|或)|^\s*(?:เฉพาะ|แค่|เพิ่ม|ยกเว้น|ไม่รวม|เปลี่ยน|หรือ)|(?:ด้วย|เท่านั้น)\s*$/iu;

const ORDINALS: Array<[RegExp, number]> = [
  [/first|1st|former|最初|前者|一つ目|第一|แรก/iu, 0],
  [/second|2nd|latter|後者|二つ目|第二|ที่สอง/iu, 1],
  [/third|3rd|三つ目|第三|ที่สาม/iu, 2],
];

/** The option an answer picks: a number (any positive whole number is accepted), an ordinal, or the default. */
export function readAnswer(answer: string, pending: NonNullable<ConversationState["pending"]>): number | null {
  // Ordinals first: "the first one" would otherwise read as the number 1.
  for (const [re, i] of ORDINALS) if (re.test(answer) && pending.options[i] !== undefined) return pending.options[i]!;
  const normal = normalizeGoal(answer);
  const q = findQuantities(normal, "2000-01-01").find((x) => x.kind !== "date");
  if (q) {
    const n = q.kind === "duration" ? durationDays(q) : Array.isArray(q.value) ? q.value[0] : q.value;
    if (Number.isFinite(n) && n > 0) return Math.round(n);
  }
  if (/^\s*(?:yes|ok|okay|sure|default|fine|はい|ええ|うん|おまかせ|好|可以|是|對|ใช่|โอเค|ได้)\b/iu.test(normal)) return pending.default;
  return null;
}

function suggestName(def: SegmentDefinition, locale: AssistantLocale, catalog: ShopCatalog, goal: string, today: string): string {
  const template = templateName(def, locale, catalog, today);
  if (template) return template;
  const titles = new Map(catalog.products.map((p) => [p.id, p.title]));
  const first = def.groups[0]?.conditions ?? [];
  const parts = first.slice(0, 3).map((c) => describeCondition(c, locale, titles));
  const base = parts.length ? parts.join(locale === "en" ? " · " : "・") : goal;
  const name = base.charAt(0).toUpperCase() + base.slice(1);
  return name.length > 80 ? `${name.slice(0, 79)}…` : name;
}

function propose(
  input: TurnInput,
  state: ConversationState,
  plan: { definition: SegmentDefinition; parts: PlanPart[]; assumptions: string[]; warnings: string[] },
): TurnResult {
  const checked = parseDefinition(plan.definition);
  // The planner only builds public condition types; a failure here is a planner bug, not input.
  if (!checked.ok)
    throw new Error(`Planner produced an invalid definition: ${checked.issues.map((i) => `${i.path}: ${i.message}`).join("; ")}`);
  const definition = checked.definition;
  const titles = new Map(input.catalog.products.map((p) => [p.id, p.title]));
  return {
    status: "proposal",
    proposal: {
      name: suggestName(definition, input.locale, input.catalog, state.goal ?? input.text, input.today),
      definition,
      summary: describeDefinition(definition, input.locale, titles),
      parts: plan.parts,
      assumptions: plan.assumptions,
      warnings: plan.warnings,
    },
    state: { ...state, pending: null, definition },
  };
}

function notUnderstood(input: TurnInput, state: ConversationState): TurnResult {
  return { status: "question", question: notes(input.locale).notUnderstood, options: [], state: { ...state, pending: null } };
}

function planFor(input: TurnInput, goal: string, choices: ConversationState["choices"]) {
  return planGoal({ goal, locale: input.locale, today: input.today, catalog: input.catalog, choices });
}

function firstOpen(ambiguities: Ambiguity[], choices: ConversationState["choices"]): Ambiguity | undefined {
  return ambiguities.find((a) => choices[a.key] === undefined);
}

/** Same field and same kind of value: the new condition replaces the old ("make it 3+ purchases"). */
function replaces(a: Condition, b: Condition): boolean {
  if (a.field !== b.field) return false;
  return !["tag", "shopifyTag", "productPurchased"].includes(a.field);
}

/** Edit the current definition with a refinement's conditions. */
function refineDefinition(current: SegmentDefinition, extra: SegmentDefinition, asAlternative: boolean): SegmentDefinition {
  if (asAlternative) return { groups: [...current.groups, ...extra.groups] };
  const base = current.groups.length ? current.groups : [{ conditions: [] }];
  const groups = base.flatMap((g) =>
    extra.groups.map((e) => ({
      conditions: [...g.conditions.filter((c) => !e.conditions.some((n) => replaces(c, n))), ...e.conditions],
    })),
  );
  return { groups: groups.slice(0, 20) };
}

/** "make it 60 days" / "3回以上に": change the number of the matching condition. */
function adjustNumbers(current: SegmentDefinition, text: string, today: string): SegmentDefinition | null {
  const q = findQuantities(normalizeGoal(text), today).find((x) => x.kind !== "date");
  if (!q) return null;
  const n = q.kind === "duration" ? durationDays(q) : Array.isArray(q.value) ? q.value[0] : q.value;
  let changed = false;
  const groups = current.groups.map((g) => ({
    conditions: g.conditions.map((c): Condition => {
      if (changed) return c;
      const hit =
        (q.kind === "duration" && q.unit === "hours" && c.field === "abandonedCart") ||
        (q.kind === "duration" && (c.field === "daysSinceLastPurchase" || (c.field === "friendAddedAt" && c.op === "withinLastDays"))) ||
        (q.kind === "count" && (c.field === "purchaseCount" || c.field === "linkClicked" || c.field === "richMenuTapped")) ||
        (q.kind === "money" && c.field === "amountSpent");
      if (!hit) return c;
      changed = true;
      if (c.field === "abandonedCart")
        return c.minHours !== undefined ? { ...c, minHours: q.value as number } : { ...c, maxHours: q.value as number };
      if (c.op === "between") return c;
      return { ...c, value: n, ...(q.op && q.op !== "between" && c.field !== "friendAddedAt" ? { op: q.op } : {}) } as Condition;
    }),
  }));
  return changed ? { groups } : null;
}

/**
 * One turn. A question is asked only in Consult mode, only for the first ambiguity of a new goal;
 * the answer is read and the goal re-planned with it (other gaps get their stated defaults).
 */
export function assistantTurn(input: TurnInput): TurnResult {
  const { state, text, mode } = input;
  if (state.pending && state.goal) {
    const picked = readAnswer(text, state.pending);
    if (picked !== null || !planFor(input, text, {}).understood) {
      const choices = { ...state.choices, [state.pending.key]: picked ?? state.pending.default };
      const plan = planFor(input, state.goal, choices);
      return plan.understood ? propose(input, { ...state, choices }, plan) : notUnderstood(input, state);
    }
  }
  if (state.definition && REFINE.test(text)) {
    const refinePlan = planFor(input, text, {});
    if (refinePlan.understood && refinePlan.definition.groups.length) {
      const asAlternative = /^\s*(?:or\b|或|หรือ)/iu.test(text);
      const definition = refineDefinition(state.definition, refinePlan.definition, asAlternative);
      return propose(input, state, { ...refinePlan, definition });
    }
    const adjusted = adjustNumbers(state.definition, text, input.today);
    if (adjusted) return propose(input, state, { definition: adjusted, parts: [], assumptions: [], warnings: [] });
  }
  const fresh: ConversationState = { goal: text, choices: {}, pending: null, definition: null };
  const plan = planFor(input, text, {});
  if (!plan.understood) {
    const adjusted = state.definition ? adjustNumbers(state.definition, text, input.today) : null;
    if (adjusted) return propose(input, state, { definition: adjusted, parts: [], assumptions: [], warnings: [] });
    return notUnderstood(input, fresh);
  }
  const open = mode === "consult" ? firstOpen(plan.ambiguities, {}) : undefined;
  if (open)
    return {
      status: "question",
      question: questionText(open.key, open.phrase, open.options, input.locale),
      options: open.options,
      state: { ...fresh, pending: { key: open.key, options: open.options, default: open.default } },
    };
  return propose(input, fresh, plan);
}

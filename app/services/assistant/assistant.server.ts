// The segment assistant (docs/assistant.md): propose a segment for a goal, keep the conversation
// per shop, approve (save the segment, hand over to the broadcast composer) or cancel. Proposals
// are validated by parseDefinition and counted by previewSegment — the editor's own code — and
// nothing is saved, sent or activated before approve.
import type { Prisma, Shop } from "@prisma/client";
import { db } from "~/db.server";
import { childLogger } from "~/adapters/logger.server";
import { LlmError, proposeWithLlm, type LlmFailure } from "~/adapters/llm/segment-llm.server";
import {
  assistantTurn,
  NEW_CONVERSATION,
  type AssistantMode,
  type ConversationState,
  type Engine,
  type Proposal,
  type ProposalWithEstimate,
} from "~/domain/assistant/conversation";
import { describeDefinition } from "~/domain/segments/summary";
import { isAssistantLocale, notes, type AssistantLocale } from "~/domain/assistant/messages";
import type { ShopCatalog } from "~/domain/assistant/planner";
import { dateOfDayNumber, localDayNumber } from "~/domain/time/zoned";
import { parseDefinition, type DefinitionIssue } from "~/domain/segments/schema";
import { previewSegment } from "~/services/segments/preview.server";
import { createSegment, SegmentError } from "~/services/segments/segments.server";
import { loadShopCatalog } from "./catalog.server";
import { assistantEndpoint } from "~/db/settings/assistant.server";

export type ProposeResult =
  | { conversationId: number; status: "question"; question: string; options: number[] }
  | { conversationId: number; status: "proposal"; proposal: ProposalWithEstimate };

export interface ChatMessage {
  role: "merchant" | "assistant";
  text: string;
  at: string;
}

/**
 * `message` is English (CLI, API, logs); the admin words `text` in the merchant's language
 * (`assistant.errors.<code>`, or `segments.errors.<code>` when saving the segment was refused).
 */
export class AssistantError extends Error {
  constructor(
    message: string,
    public code: "not_found" | "no_proposal" | "closed" | "invalid",
    public issues: DefinitionIssue[] = [],
    public text: { key: string; params?: Record<string, string | number> } = { key: `assistant.errors.${code}` },
  ) {
    super(message);
  }
}

/** The shop's language as an assistant locale (Shopify primaryLocale "ja", "zh-TW", "th"…), English otherwise. */
function shopAssistantLocale(shop: Pick<Shop, "primaryLocale">): AssistantLocale {
  const l = shop.primaryLocale ?? "en";
  if (isAssistantLocale(l)) return l;
  if (/^zh/i.test(l)) return "zh-TW";
  const base = l.split("-")[0]!.toLowerCase();
  return isAssistantLocale(base) ? base : "en";
}

function shopToday(shop: Pick<Shop, "timezone">, now: Date): string {
  return dateOfDayNumber(localDayNumber(now, shop.timezone));
}

async function withEstimate(
  shop: Shop,
  proposal: Proposal,
  engine: Engine,
  now: Date,
  fallbackNote?: string,
): Promise<ProposalWithEstimate> {
  const p = await previewSegment(shop.id, proposal.definition, { sampleSize: 10, now });
  return {
    ...proposal,
    estimate: { count: p.count, excluded: p.excluded },
    sample: p.sample.map((s) => ({
      friendId: s.friendId,
      lineUserId: s.lineUserId,
      displayName: s.displayName,
      pictureUrl: s.pictureUrl,
      shopifyCustomerId: s.shopifyCustomerId,
      linked: s.linked,
    })),
    engine,
    ...(fallbackNote ? { fallbackNote } : {}),
  };
}

/** The language model's proposal, validated like an editor definition; null (with the reason) when it cannot be used. */
async function llmProposal(
  shop: Shop,
  goal: string,
  locale: AssistantLocale,
  today: string,
  catalog: ShopCatalog,
): Promise<{ proposal: Proposal } | { reason: LlmFailure; status?: number } | null> {
  const endpoint = await assistantEndpoint(shop);
  if (!endpoint) return null;
  try {
    const out = await proposeWithLlm(endpoint, { goal, locale, today, catalog });
    const parsed = parseDefinition(out.definition);
    if (!parsed.ok) return { reason: "invalidOutput" };
    const titles = new Map(catalog.products.map((p) => [p.id, p.title]));
    return {
      proposal: {
        name: out.name,
        definition: parsed.definition,
        summary: describeDefinition(parsed.definition, locale, titles),
        parts: out.parts.map((p) => ({ phrase: p.phrase, conditions: [p.became] })),
        assumptions: [],
        warnings: [],
      },
    };
  } catch (err) {
    if (!(err instanceof LlmError)) throw err;
    childLogger({ shop: shop.domain }).warn({ reason: err.message }, "assistant model failed; planner used");
    return { reason: err.reason, ...(err.status ? { status: err.status } : {}) };
  }
}

async function findConversation(shopId: number, id: number) {
  const row = await db().assistantConversation.findFirst({ where: { id, shopId } });
  if (!row) throw new AssistantError("Conversation not found", "not_found");
  return row;
}

/**
 * One merchant message → a question or a proposal with its live estimate and 10 sample friends.
 * Continues `conversationId` (answer to a question, refinement) or starts a new conversation.
 * With a language model configured, a new goal goes to the model first; on error or invalid
 * output the planner answers and `fallbackNote` says so.
 */
export async function proposeSegment(
  shop: Shop,
  input: { text: string; mode?: AssistantMode; locale?: AssistantLocale; conversationId?: number; now?: Date },
): Promise<ProposeResult> {
  const now = input.now ?? new Date();
  const text = input.text.trim();
  if (!text) throw new AssistantError("Say what the segment is for", "invalid", [], { key: "assistant.errors.empty" });
  const existing = input.conversationId ? await findConversation(shop.id, input.conversationId) : null;
  if (existing && existing.status !== "open") throw new AssistantError("This conversation is closed; start a new one", "closed");
  const locale = input.locale ?? (existing && isAssistantLocale(existing.locale) ? existing.locale : shopAssistantLocale(shop));
  const mode: AssistantMode = input.mode ?? (existing?.mode === "consult" ? "consult" : "auto");
  const state = (existing?.state as unknown as ConversationState | undefined) ?? NEW_CONVERSATION;
  const today = shopToday(shop, now);
  const catalog = await loadShopCatalog(shop);

  const turn = assistantTurn({ text, mode, locale, today, catalog, state });
  let result: ProposeResult;
  let reply: string;
  let nextState = turn.state;
  let proposal: ProposalWithEstimate | null = null;
  // A fresh goal (not an answer, not a refinement, not one Consult mode asks about) may go to the
  // language model.
  const freshGoal = turn.state.goal === text && !state.pending && !(turn.status === "question" && turn.options.length);
  const llm = freshGoal ? await llmProposal(shop, text, locale, today, catalog) : null;
  if (llm && "proposal" in llm) {
    proposal = await withEstimate(shop, llm.proposal, "llm", now);
    nextState = { goal: text, choices: {}, pending: null, definition: llm.proposal.definition };
  } else if (turn.status === "proposal") {
    proposal = await withEstimate(
      shop,
      turn.proposal,
      "planner",
      now,
      llm && "reason" in llm ? notes(locale).fallback(notes(locale).reasons[llm.reason](llm.status ?? 0)) : undefined,
    );
  }
  if (proposal) {
    reply = `${proposal.fallbackNote ? `${proposal.fallbackNote}\n` : ""}${proposal.summary}`;
    result = { conversationId: 0, status: "proposal", proposal };
  } else if (turn.status === "question") {
    reply = turn.question;
    result = { conversationId: 0, status: "question", question: turn.question, options: turn.options };
  } else throw new Error("unreachable: a proposal turn always yields a proposal");

  const messages: ChatMessage[] = [
    ...((existing?.messages as unknown as ChatMessage[] | undefined) ?? []),
    { role: "merchant", text, at: now.toISOString() },
    { role: "assistant", text: reply, at: now.toISOString() },
  ];
  const data = {
    locale,
    mode,
    state: nextState as unknown as Prisma.InputJsonValue,
    messages: messages as unknown as Prisma.InputJsonValue,
    ...(proposal ? { proposal: proposal as unknown as Prisma.InputJsonValue } : {}),
  };
  const row = existing
    ? await db().assistantConversation.update({ where: { id: existing.id }, data })
    : await db().assistantConversation.create({ data: { shopId: shop.id, ...data } });
  return { ...result, conversationId: row.id };
}

/** A name not yet used by the shop's segments: "Name", then "Name (2)", "Name (3)"… */
async function freeName(shopId: number, wanted: string): Promise<string> {
  const base = wanted.trim().slice(0, 90) || "Segment";
  const taken = new Set(
    (await db().segment.findMany({ where: { shopId, name: { startsWith: base } }, select: { name: true } })).map((s) => s.name),
  );
  if (!taken.has(base)) return base;
  for (let i = 2; ; i++) if (!taken.has(`${base} (${i})`)) return `${base} (${i})`;
}

export interface Approved {
  segment: { id: number; name: string; memberCount: number | null };
  /** The broadcast composer with this segment as the audience. */
  composerUrl: string;
}

async function saveApproved(
  shopId: number,
  name: string | undefined,
  suggested: string,
  definition: unknown,
  now: Date,
): Promise<Approved> {
  const parsed = parseDefinition(definition);
  if (!parsed.ok) throw new AssistantError("Invalid segment definition", "invalid", parsed.issues);
  try {
    const seg = await createSegment(
      shopId,
      { name: name?.trim() || (await freeName(shopId, suggested)), definition: parsed.definition },
      now,
      // Approve opens the broadcast composer at once, and its estimate counts SegmentMembership:
      // the members must be there when it loads, not when the worker reaches a queued refresh.
      { refresh: "inline" },
    );
    return {
      segment: { id: seg.id, name: seg.name, memberCount: seg.memberCount },
      composerUrl: `/app/broadcasts/new?segmentId=${seg.id}`,
    };
  } catch (err) {
    if (err instanceof SegmentError)
      throw new AssistantError(err.message, "invalid", [], { key: `segments.errors.${err.code}`, params: err.params });
    throw err;
  }
}

/** Approve the conversation's current proposal: save it as a segment (nothing is sent). */
export async function approveProposal(shop: Shop, input: { conversationId: number; name?: string; now?: Date }): Promise<Approved> {
  const now = input.now ?? new Date();
  const row = await findConversation(shop.id, input.conversationId);
  if (row.status !== "open") throw new AssistantError("This conversation is closed", "closed");
  const proposal = row.proposal as unknown as ProposalWithEstimate | null;
  if (!proposal) throw new AssistantError("There is no proposal to approve yet", "no_proposal");
  const approved = await saveApproved(shop.id, input.name, proposal.name, proposal.definition, now);
  await db().assistantConversation.update({ where: { id: row.id }, data: { status: "approved", segmentId: approved.segment.id } });
  return approved;
}

/** Approve a proposal given as JSON (the CLI's `--file`: agent:propose output or its `proposal`). */
export async function approveDefinition(
  shop: Shop,
  input: { name?: string; suggestedName?: string; definition: unknown; now?: Date },
): Promise<Approved> {
  return saveApproved(shop.id, input.name, input.suggestedName ?? "Assistant segment", input.definition, input.now ?? new Date());
}

/** Cancel: the merchant says it again in a new conversation. */
export async function cancelConversation(shopId: number, conversationId: number): Promise<void> {
  await findConversation(shopId, conversationId);
  await db().assistantConversation.update({ where: { id: conversationId }, data: { status: "cancelled" } });
}

export interface ConversationView {
  id: number;
  mode: AssistantMode;
  locale: AssistantLocale;
  messages: ChatMessage[];
  proposal: ProposalWithEstimate | null;
  pendingQuestion: boolean;
}

/** The shop's open conversation, if any (the chat panel resumes it). */
export async function openConversation(shopId: number): Promise<ConversationView | null> {
  const row = await db().assistantConversation.findFirst({ where: { shopId, status: "open" }, orderBy: { updatedAt: "desc" } });
  if (!row) return null;
  const state = row.state as unknown as ConversationState;
  return {
    id: row.id,
    mode: row.mode === "consult" ? "consult" : "auto",
    locale: isAssistantLocale(row.locale) ? row.locale : "en",
    messages: row.messages as unknown as ChatMessage[],
    proposal: (row.proposal as unknown as ProposalWithEstimate | null) ?? null,
    pendingQuestion: Boolean(state.pending),
  };
}

// Friend tags: the six kinds merchants use, name validation, and which automatic rules an event fires.
import { z } from "zod";

export const TAG_KINDS = ["source", "interest", "stage", "value", "engagement", "consent", "other"] as const;
export type TagKind = (typeof TAG_KINDS)[number];

/**
 * Validation failures of tag names and tag rules, used as the zod messages below: the admin shows
 * each in the merchant's language (`tags.errors.<code>`), never zod's own text.
 */
export const TAG_ERROR_CODES = [
  "nameRequired",
  "nameTooLong",
  "nameControl",
  "nameTaken",
  "notFound",
  "keywordRequired",
  "segmentRequired",
  "invalid",
] as const;

const tagNameSchema = z
  .string()
  .trim()
  .min(1, "nameRequired")
  .max(100, "nameTooLong")
  .refine((s) => !/[\u0000-\u001f]/.test(s), "nameControl");

export const tagInputSchema = z.strictObject({ name: tagNameSchema, kind: z.enum(TAG_KINDS).default("other") });

export const TAG_RULE_TRIGGERS = ["keyword", "segment_enter", "segment_leave", "menu_tap", "link_click", "account_linked"] as const;
export type TagRuleTrigger = (typeof TAG_RULE_TRIGGERS)[number];

export const tagRuleInputSchema = z
  .strictObject({
    trigger: z.enum(TAG_RULE_TRIGGERS),
    match: z.string().trim().min(1).max(300).nullish(),
    action: z.enum(["add", "remove"]).default("add"),
    tagId: z.number().int().positive(),
    enabled: z.boolean().default(true),
  })
  .refine((r) => r.trigger !== "keyword" || !!r.match, { message: "keywordRequired", path: ["match"] })
  .refine((r) => !(r.trigger === "segment_enter" || r.trigger === "segment_leave") || /^\d+$/.test(r.match ?? ""), {
    message: "segmentRequired",
    path: ["match"],
  });

export interface TagRuleLike {
  id: number;
  trigger: string;
  match: string | null;
  action: string;
  tagId: number;
  enabled: boolean;
}

/** A friend-level event that can fire tag rules. `values` are what `match` is compared with. */
export interface TagEvent {
  kind: TagRuleTrigger;
  /** keyword: the message text; segment_*: segment id; menu_tap: postback data and area; link_click: link id and code. */
  values: string[];
}

/** Keywords match the whole message, ignoring case, surrounding space and full-width/half-width differences. */
function normalizeKeyword(s: string): string {
  return s.normalize("NFKC").trim().toLowerCase();
}

export function rulesFor(event: TagEvent, rules: TagRuleLike[]): TagRuleLike[] {
  const values = event.kind === "keyword" ? event.values.map(normalizeKeyword) : event.values;
  return rules.filter((r) => {
    if (!r.enabled || r.trigger !== event.kind) return false;
    if (r.match === null || r.match === "") return event.kind !== "keyword";
    return values.includes(event.kind === "keyword" ? normalizeKeyword(r.match) : r.match);
  });
}

/** Net effect per tag: when rules disagree for the same tag, "remove" wins (the safer outcome). */
export function tagChanges(rules: TagRuleLike[]): { add: number[]; remove: number[] } {
  const remove = new Set(rules.filter((r) => r.action === "remove").map((r) => r.tagId));
  const add = new Set(rules.filter((r) => r.action === "add" && !remove.has(r.tagId)).map((r) => r.tagId));
  return { add: [...add], remove: [...remove] };
}

// The structured output asked of a language model: the definition, built from the editor's own
// per-field condition schemas (FIELD_SCHEMAS in segments/schema.ts), plus a name and what each part
// of the goal became. After parsing, the definition still goes through parseDefinition (limits,
// ranges) exactly like one typed into the editor.
import { z } from "zod";
import { FIELD_SCHEMAS, type Field } from "~/domain/segments/schema";
import type { ShopCatalog } from "./planner";

const conditionSchemas = (Object.keys(FIELD_SCHEMAS) as Field[]).flatMap((f) => Object.values(FIELD_SCHEMAS[f]));

const definitionSchema = z.strictObject({
  groups: z
    .array(z.strictObject({ conditions: z.array(z.union(conditionSchemas as unknown as [z.ZodType, z.ZodType, ...z.ZodType[]])).min(1) }))
    .max(20),
});

export const llmProposalSchema = z.strictObject({
  name: z.string().min(1).max(100),
  definition: definitionSchema,
  parts: z.array(z.strictObject({ phrase: z.string(), became: z.string() })),
});

export type LlmProposal = z.infer<typeof llmProposalSchema>;

/** The instructions: the public format (docs/segments.md) in brief, the shop's names and today's date. */
export function llmInstructions(input: { today: string; locale: string; catalog: ShopCatalog }): string {
  const c = input.catalog;
  return [
    "You turn a merchant's goal into a LINE CRM segment definition. Answer with JSON only:",
    '{"name": short segment name, "definition": {"groups": [{"conditions": [...]}]}, "parts": [{"phrase": words of the goal, "became": what condition they became}]}',
    "Groups are OR-ed; conditions in a group are AND-ed. Conditions (exact keys, nothing else):",
    '- {"field":"friendAddedAt","op":"withinLastDays","value":days} | {"op":"before"|"after","value":"YYYY-MM-DD"}',
    '- {"field":"tag","op":"has"|"hasNot","value":name} | {"op":"hasAny"|"hasNone","value":[names]} (friend tags)',
    '- {"field":"shopifyTag","op":"hasAny"|"hasNone","value":[Shopify customer tags]}',
    '- {"field":"shopifyLinked"|"hasPurchased"|"marketingConsent"|"following","op":"is","value":true|false}',
    '- {"field":"purchaseCount"|"amountSpent"|"daysSinceLastPurchase","op":"eq"|"gt"|"gte"|"lt"|"lte","value":n} or {"op":"between","value":[lo,hi]}',
    '- {"field":"abandonedCart","op":"is","value":true, "minHours"?: n, "maxHours"?: n}',
    '- {"field":"productPurchased","op":"hasAny"|"hasNone","value":[product ids as strings],"withinDays"?: n}',
    '- {"field":"linkClicked"|"richMenuTapped","op":numeric op,"value":n,"withinDays"?: n, "linkTag"?: tag, "area"?: area}',
    "Purchase conditions never match friends who never bought: for 'never purchased' use hasPurchased false.",
    "'Haven't bought in N days' = daysSinceLastPurchase gte N. Dormant = daysSinceLastPurchase gte 90. Repeat customers = purchaseCount gte 2.",
    `Today (shop-local) is ${input.today}. Shop currency: ${c.currency}. Reply in the merchant's language (${input.locale}) for name and parts.`,
    `Friend tags: ${JSON.stringify(c.tags.slice(0, 200))}`,
    `Shopify customer tags: ${JSON.stringify(c.shopifyTags.slice(0, 200))}`,
    `Products (id: title): ${JSON.stringify(c.products.slice(0, 300).map((p) => `${p.id}: ${p.title}`))}`,
    `Link tags: ${JSON.stringify(c.linkTags.slice(0, 100))}; rich-menu areas: ${JSON.stringify(c.menuAreas.slice(0, 100))}`,
  ].join("\n");
}

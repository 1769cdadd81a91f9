// agent:propose / agent:approve / agent:model — the segment assistant (docs/assistant.md), through
// the same service as the Segments page chat panel. agent:propose prints
//   {"status": "proposal" | "question", "question"?, "proposal"?: {"name", "definition", "summary",
//    "estimate": {"count", "excluded"}, "sample"}, "conversationId", "details"}
// and saves nothing; agent:approve saves the proposal as a segment.
import fs from "node:fs";
import type { CliCommand } from "../types";
import { requireString, UsageError } from "../types";
import { requireShop } from "../../../app/db/shops.server";
import { isAssistantLocale } from "../../../app/domain/assistant/messages";
import {
  AssistantError,
  approveDefinition,
  approveProposal,
  proposeSegment,
  type Approved,
} from "../../../app/services/assistant/assistant.server";
import { AssistantSettingsError, saveAssistantSettings } from "../../../app/db/settings/assistant.server";

function conversationId(args: Record<string, unknown>): number | undefined {
  const v = args.conversation;
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError("--conversation is the id printed by agent:propose");
  return n;
}

function assistantFailure(err: unknown) {
  if (err instanceof AssistantError) {
    if (err.code === "invalid" && err.issues.length) {
      process.exitCode = 2;
      return { error: err.message, issues: err.issues };
    }
    throw new UsageError(err.message);
  }
  throw err;
}

/** The definition and suggested name in a file: agent:propose output, its `proposal`, or a bare definition. */
function readProposalFile(file: string): { definition: unknown; name?: string } {
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch {
    throw new UsageError(`Cannot read JSON from ${file}`);
  }
  const o = (json ?? {}) as { proposal?: { definition?: unknown; name?: string }; definition?: unknown; name?: string; groups?: unknown };
  if (o.proposal?.definition !== undefined) return { definition: o.proposal.definition, name: o.proposal.name };
  if (o.definition !== undefined) return { definition: o.definition, name: o.name };
  if (o.groups !== undefined) return { definition: json };
  throw new UsageError('The file has no proposal: pass agent:propose output, its "proposal", or a definition');
}

export const commands: CliCommand[] = [
  {
    name: "agent:propose",
    description: "Propose a segment for a goal (nothing is saved); answers and refinements continue a conversation",
    options: {
      shop: { type: "string", required: true, description: "shop domain" },
      goal: {
        type: "string",
        required: true,
        description: 'the goal, e.g. "repeat customers" (or the answer / refinement with --conversation)',
      },
      mode: {
        type: "string",
        description: "auto (default: propose, filling gaps with stated defaults) | consult (ask one question when vague)",
      },
      locale: { type: "string", description: "en | ja | zh-TW | th (default: the shop's language)" },
      conversation: { type: "string", description: "continue this conversation (answer a question, refine the proposal)" },
    },
    async run(args) {
      const shop = await requireShop(requireString(args, "shop"));
      const mode = args.mode as string | undefined;
      if (mode !== undefined && mode !== "auto" && mode !== "consult") throw new UsageError("--mode is auto or consult");
      const locale = args.locale as string | undefined;
      if (locale !== undefined && !isAssistantLocale(locale)) throw new UsageError("--locale is en, ja, zh-TW or th");
      try {
        const r = await proposeSegment(shop, { text: requireString(args, "goal"), mode, locale, conversationId: conversationId(args) });
        if (r.status === "question")
          return { status: "question", question: r.question, conversationId: r.conversationId, details: { options: r.options } };
        const p = r.proposal;
        return {
          status: "proposal",
          proposal: {
            name: p.name,
            definition: p.definition,
            summary: p.summary,
            estimate: { count: p.estimate.count, excluded: p.estimate.excluded },
            sample: p.sample.map((s) => ({ lineUserId: s.lineUserId, displayName: s.displayName, shopifyCustomerId: s.shopifyCustomerId })),
          },
          conversationId: r.conversationId,
          details: {
            engine: p.engine,
            parts: p.parts,
            assumptions: p.assumptions,
            warnings: p.warnings,
            ...(p.fallbackNote ? { note: p.fallbackNote } : {}),
          },
        };
      } catch (err) {
        return assistantFailure(err);
      }
    },
  },
  {
    name: "agent:approve",
    description:
      "Save a proposal as a segment (--conversation <id> from agent:propose, or --file proposal.json); prints the broadcast composer URL",
    options: {
      shop: { type: "string", required: true, description: "shop domain" },
      conversation: { type: "string", description: "approve this conversation's current proposal" },
      file: { type: "string", description: "agent:propose output (or its proposal, or a bare definition) as a JSON file" },
      name: { type: "string", description: "segment name (default: the suggested name, made unique)" },
    },
    async run(args) {
      const shop = await requireShop(requireString(args, "shop"));
      const id = conversationId(args);
      const file = args.file as string | undefined;
      if ((id === undefined) === (file === undefined)) throw new UsageError("Pass either --conversation <id> or --file <proposal.json>");
      const name = args.name as string | undefined;
      try {
        let approved: Approved;
        if (id !== undefined) approved = await approveProposal(shop, { conversationId: id, name });
        else {
          const p = readProposalFile(file!);
          approved = await approveDefinition(shop, { name, suggestedName: p.name, definition: p.definition });
        }
        return approved;
      } catch (err) {
        return assistantFailure(err);
      }
    },
  },
  {
    name: "agent:model",
    description: "Configure the optional OpenAI-compatible model for the assistant (the key is stored encrypted)",
    options: {
      shop: { type: "string", required: true, description: "shop domain" },
      enabled: { type: "string", required: true, description: "true | false" },
      "base-url": { type: "string", description: "e.g. https://api.openai.com/v1 or http://127.0.0.1:11434/v1" },
      model: { type: "string", description: "model name" },
      "api-key": { type: "string", description: "API key (omit to keep the stored one, empty to remove it)" },
    },
    async run(args) {
      const shop = await requireShop(requireString(args, "shop"));
      if (args.enabled !== "true" && args.enabled !== "false") throw new UsageError("--enabled is true or false");
      try {
        return await saveAssistantSettings(shop, {
          enabled: args.enabled === "true",
          baseUrl: (args["base-url"] as string | undefined) ?? "",
          model: (args.model as string | undefined) ?? "",
          apiKey: args["api-key"] as string | undefined,
        });
      } catch (err) {
        if (err instanceof AssistantSettingsError) throw new UsageError(err.message);
        throw err;
      }
    },
  },
];

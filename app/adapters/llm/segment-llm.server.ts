// The optional language model behind the segment assistant: any OpenAI-compatible chat-completions
// endpoint through the Vercel AI SDK (`ai` + `@ai-sdk/openai-compatible`), asked for structured
// output (llmProposalSchema). Errors (network, HTTP, output that does not fit the schema) are
// thrown as LlmError with a reason code (worded per admin language by the assistant's notes) and an
// English message for logs; the caller falls back to the planner.
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import { generateText, Output } from "ai";
import { llmInstructions, llmProposalSchema, type LlmProposal } from "~/domain/assistant/llm-output";
import type { ShopCatalog } from "~/domain/assistant/planner";

// The SDK warns on every call that this provider takes the schema as plain JSON mode (no strict
// json_schema): expected here — the schema is in the instructions and the answer is validated —
// and console noise would end up in CLI output.
(globalThis as { AI_SDK_LOG_WARNINGS?: boolean }).AI_SDK_LOG_WARNINGS = false;

export interface LlmEndpoint {
  /** e.g. https://api.openai.com/v1 or http://127.0.0.1:11434/v1 */
  baseUrl: string;
  model: string;
  apiKey?: string;
}

/** Why the model could not be used: "http" (with the status), "invalidOutput", "timeout", "unreachable". */
export type LlmFailure = "http" | "invalidOutput" | "timeout" | "unreachable";

export class LlmError extends Error {
  constructor(
    message: string,
    public reason: LlmFailure,
    public status?: number,
  ) {
    super(message);
  }
}

/** Ask the model for a proposal. Throws LlmError; times out after `timeoutMs` (default 20 s). */
export async function proposeWithLlm(
  endpoint: LlmEndpoint,
  input: { goal: string; locale: string; today: string; catalog: ShopCatalog },
  opts: { timeoutMs?: number } = {},
): Promise<LlmProposal> {
  const provider = createOpenAICompatible({ name: "assistant", baseURL: endpoint.baseUrl, apiKey: endpoint.apiKey });
  try {
    const result = await generateText({
      model: provider.chatModel(endpoint.model),
      system: llmInstructions(input),
      prompt: input.goal,
      output: Output.object({ schema: llmProposalSchema }),
      maxRetries: 0,
      abortSignal: AbortSignal.timeout(opts.timeoutMs ?? 20_000),
    });
    return result.output;
  } catch (err) {
    const name = err instanceof Error ? err.name : "";
    const status = (err as { statusCode?: number }).statusCode;
    if (status) throw new LlmError(`the endpoint answered HTTP ${status}`, "http", status);
    if (/NoObjectGenerated|NoOutputGenerated|TypeValidation|JSONParse/i.test(name))
      throw new LlmError("its answer was not a valid segment definition", "invalidOutput");
    if (/Abort|Timeout/i.test(name)) throw new LlmError("it did not answer in time", "timeout");
    throw new LlmError("it could not be reached", "unreachable");
  }
}

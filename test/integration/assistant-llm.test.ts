// The optional language model, through the real AI SDK against a local stand-in at the network
// boundary that answers in OpenAI's recorded chat-completions shapes (a `chat.completion` object,
// or an `{"error": …}` body with an HTTP error status). Valid structured output is used; invalid
// output or an error falls back to the planner and says so. The API key is stored encrypted.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Shop } from "@prisma/client";
import { db } from "~/db.server";
import { decryptSecret } from "~/adapters/crypto.server";
import { uniqueShop } from "../support/shopify";
import { proposeSegment } from "~/services/assistant/assistant.server";
import { loadAssistantSettings, saveAssistantSettings } from "~/db/settings/assistant.server";

interface Seen {
  authorization?: string;
  body: { model: string; messages: Array<{ role: string; content: string }>; response_format?: unknown };
}

let answer: { status: number; body: unknown } = { status: 200, body: {} };
const seen: Seen[] = [];
let server: http.Server;
let baseUrl: string;

/** A recorded `POST /v1/chat/completions` response with `content` as the assistant message. */
function completion(content: string) {
  return {
    id: "chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT",
    object: "chat.completion",
    created: 1741569952,
    model: "gpt-4.1-mini-2025-04-14",
    choices: [{ index: 0, message: { role: "assistant", content, refusal: null, annotations: [] }, logprobs: null, finish_reason: "stop" }],
    usage: { prompt_tokens: 912, completion_tokens: 71, total_tokens: 983 },
    service_tier: "default",
    system_fingerprint: "fp_6f2eabb9a5",
  };
}

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let raw = "";
    req.on("data", (c) => (raw += c));
    req.on("end", () => {
      if (req.method !== "POST" || req.url !== "/v1/chat/completions") {
        res.writeHead(404).end();
        return;
      }
      seen.push({ authorization: req.headers.authorization, body: JSON.parse(raw) as Seen["body"] });
      res.writeHead(answer.status, { "content-type": "application/json" }).end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

async function shopWithModel(): Promise<Shop> {
  const shop = await db().shop.create({ data: { domain: uniqueShop("assistant-llm"), timezone: "Asia/Tokyo" } });
  await db().friend.create({ data: { shopId: shop.id, lineUserId: `U${shop.id}a`, followedAt: new Date() } });
  await saveAssistantSettings(shop, { enabled: true, baseUrl, model: "gpt-4.1-mini", apiKey: "sk-test-123" });
  return shop;
}

describe("assistant with an OpenAI-compatible model", () => {
  it("stores the key encrypted and never shows it", async () => {
    const shop = await shopWithModel();
    const row = await db().assistantSetting.findUniqueOrThrow({ where: { shopId: shop.id } });
    expect(row.apiKeyEnc).not.toContain("sk-test-123");
    expect(decryptSecret(row.apiKeyEnc!, { shop: shop.domain, purpose: "assistant.apiKey" })).toBe("sk-test-123");
    expect(await loadAssistantSettings(shop.id)).toEqual({ enabled: true, baseUrl, model: "gpt-4.1-mini", hasApiKey: true });
    await expect(saveAssistantSettings(shop, { enabled: true, baseUrl: "not a url", model: "m" })).rejects.toThrow(/base URL/);
  });

  it("uses the model's valid structured output, counted by the editor's preview", async () => {
    const shop = await shopWithModel();
    answer = {
      status: 200,
      body: completion(
        JSON.stringify({
          name: "New friends",
          definition: { groups: [{ conditions: [{ field: "friendAddedAt", op: "withinLastDays", value: 3 }] }] },
          parts: [{ phrase: "joined this week-ish", became: "became a friend in the last 3 days" }],
        }),
      ),
    };
    seen.length = 0;
    const r = await proposeSegment(shop, { text: "people who joined this week-ish", locale: "en" });
    expect(r.status).toBe("proposal");
    if (r.status !== "proposal") return;
    expect(r.proposal.engine).toBe("llm");
    expect(r.proposal.definition).toEqual({ groups: [{ conditions: [{ field: "friendAddedAt", op: "withinLastDays", value: 3 }] }] });
    expect(r.proposal.estimate.count).toBe(1);
    expect(r.proposal.fallbackNote).toBeUndefined();
    expect(seen).toHaveLength(1);
    expect(seen[0]!.authorization).toBe("Bearer sk-test-123");
    expect(seen[0]!.body.model).toBe("gpt-4.1-mini");
    expect(seen[0]!.body.messages.at(-1)).toMatchObject({ role: "user", content: "people who joined this week-ish" });
  });

  it.each([
    [
      "output outside the schema",
      {
        status: 200,
        body: completion(
          JSON.stringify({
            name: "x",
            definition: { groups: [{ conditions: [{ field: "lifetimeValue", op: "gte", value: 1 }] }] },
            parts: [],
          }),
        ),
      },
      /not a valid segment definition/,
    ],
    [
      "output that is not JSON",
      { status: 200, body: completion("Sure! Here is your segment: repeat buyers") },
      /not a valid segment definition/,
    ],
    [
      "a server error",
      {
        status: 500,
        body: {
          error: { message: "The server had an error while processing your request.", type: "server_error", param: null, code: null },
        },
      },
      /HTTP 500/,
    ],
    [
      "a bad key",
      {
        status: 401,
        body: {
          error: {
            message: "Incorrect API key provided: sk-test-123.",
            type: "invalid_request_error",
            param: null,
            code: "invalid_api_key",
          },
        },
      },
      /HTTP 401/,
    ],
  ])("falls back to the planner on %s and says so", async (_what, reply, note) => {
    const shop = await shopWithModel();
    answer = reply;
    const r = await proposeSegment(shop, { text: "never purchased", locale: "en" });
    expect(r.status).toBe("proposal");
    if (r.status !== "proposal") return;
    expect(r.proposal.engine).toBe("planner");
    expect(r.proposal.definition).toEqual({ groups: [{ conditions: [{ field: "hasPurchased", op: "is", value: false }] }] });
    expect(r.proposal.fallbackNote).toMatch(note);
  });

  it.each([
    ["ja", { status: 500, body: { error: { message: "The server had an error", type: "server_error" } } }, "500"],
    ["zh-TW", { status: 200, body: completion("Sure! Here is your segment: repeat buyers") }, undefined],
    ["th", { status: 401, body: { error: { message: "Incorrect API key provided", code: "invalid_api_key" } } }, "401"],
  ] as const)("says why the model was not used in the merchant's language (%s), with no English", async (locale, reply, status) => {
    const shop = await shopWithModel();
    answer = reply;
    const r = await proposeSegment(shop, { text: "never purchased", locale });
    expect(r.status).toBe("proposal");
    if (r.status !== "proposal") return;
    expect(r.proposal.engine).toBe("planner");
    const note = r.proposal.fallbackNote ?? "";
    expect(note).not.toBe("");
    // The HTTP status stays as digits; no English words such as "endpoint", "answered", "valid".
    expect(note.match(/[A-Za-z]{2,}/g) ?? []).toEqual([]);
    if (status) expect(note).toContain(status);
  });

  it("does not call the model when it is disabled", async () => {
    const shop = await shopWithModel();
    await saveAssistantSettings(shop, { enabled: false, baseUrl, model: "gpt-4.1-mini" });
    seen.length = 0;
    const r = await proposeSegment(shop, { text: "never purchased", locale: "en" });
    expect(seen).toHaveLength(0);
    expect(r.status === "proposal" && r.proposal.engine).toBe("planner");
    // The stored key is kept when the form leaves it empty.
    expect((await loadAssistantSettings(shop.id)).hasApiKey).toBe(true);
  });
});

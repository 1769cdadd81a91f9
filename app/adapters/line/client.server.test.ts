// The one classification of LINE's answers, table-driven over LINE's status codes and error bodies in
// the shapes LINE documents (Messaging API reference "Status codes" / "Error responses";
// retrying-api-request; shared/reference/line-platform-facts.md §2, §5).
import { HTTPFetchError } from "@line/bot-sdk";
import { describe, expect, it } from "vitest";
import { classifyLineError, LineError } from "./client.server";

function lineAnswer(status: number, body: string, headers: Record<string, string> = {}): HTTPFetchError {
  return new HTTPFetchError(`${status}`, { status, statusText: "", headers: new Headers(headers), body });
}
const json = (o: unknown) => JSON.stringify(o);

describe("classifyLineError", () => {
  it.each([
    [
      "409 to a request with a retry key",
      lineAnswer(409, json({ message: "The retry key is already accepted" }), { "x-line-accepted-request-id": "abc" }),
      true,
      "duplicate",
    ],
    ["409 without a retry key", lineAnswer(409, json({ message: "Conflict" })), false, "invalid"],
    ["429 rate limit", lineAnswer(429, json({ message: "Too many requests" })), true, "rate-limited"],
    ["429 monthly limit", lineAnswer(429, json({ message: "You have reached your monthly limit." })), true, "quota-exceeded"],
    [
      "400 with details",
      lineAnswer(
        400,
        json({ message: "The request body has 1 error(s)", details: [{ message: "May not be empty", property: "messages[0].text" }] }),
      ),
      false,
      "invalid",
    ],
    ["404 (not a friend, unknown menu)", lineAnswer(404, json({ message: "Not found" })), false, "invalid"],
    [
      "401 bad token",
      lineAnswer(401, json({ message: "Authentication failed. Confirm that the access token in the authorization header is valid." })),
      false,
      "unauthorized",
    ],
    [
      "403 not allowed for the plan",
      lineAnswer(403, json({ message: "Access to this API is not available for your account" })),
      true,
      "unauthorized",
    ],
    ["500", lineAnswer(500, json({ message: "Internal server error" })), true, "transient"],
    ["502 from a proxy (HTML)", lineAnswer(502, "<html><body>Bad Gateway</body></html>"), true, "transient"],
    ["no answer (fetch failed)", new TypeError("fetch failed"), true, "transient"],
    ["timeout", new DOMException("The operation was aborted due to timeout", "TimeoutError"), false, "transient"],
  ] as const)("%s → %s", (_l, err, retryKeySent, kind) => {
    expect(classifyLineError(err, { retryKeySent }).kind).toBe(kind);
  });

  it("keeps the status, LINE's message and its details; never the raw body of a non-JSON answer beyond 200 chars", () => {
    const details = [{ message: "May not be empty", property: "messages[0].text" }];
    expect(classifyLineError(lineAnswer(400, json({ message: "The request body has 1 error(s)", details })))).toEqual({
      kind: "invalid",
      status: 400,
      message: "400 The request body has 1 error(s)",
      details,
    });
    expect(classifyLineError(lineAnswer(503, "x".repeat(500))).message).toBe(`503 ${"x".repeat(200)}`);
  });

  it("reads Retry-After on a rate limit when present (LINE documents none)", () => {
    expect(classifyLineError(lineAnswer(429, json({ message: "Too many requests" }), { "retry-after": "2" }))).toMatchObject({
      kind: "rate-limited",
      retryAfterMs: 2000,
    });
    expect(classifyLineError(lineAnswer(429, json({ message: "Too many requests" })))).not.toHaveProperty("retryAfterMs");
  });

  it("passes an adapter's LineError through unchanged", () => {
    const failure = { kind: "unauthorized", status: 401, message: "401 Authentication failed" } as const;
    expect(classifyLineError(new LineError(failure))).toBe(failure);
  });
});

// Issue 9 item 10: /healthz is public and answered with internal error texts (a failing check's
// message, LINE's base URL). The public answer is a bare status; the full report needs HEALTH_TOKEN.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resetEnv } from "~/config/env.server";
import { loader } from "~/routes/healthz";

const TOKEN = "health-token-for-tests-0123456789";
const saved = { line: process.env.LINE_API_BASE_URL, token: process.env.HEALTH_TOKEN };

beforeAll(() => {
  // Nothing listens on port 1: the LINE check fails with a connection error text.
  process.env.LINE_API_BASE_URL = "http://127.0.0.1:1";
  process.env.HEALTH_TOKEN = TOKEN;
  resetEnv();
});
afterAll(() => {
  process.env.LINE_API_BASE_URL = saved.line;
  process.env.HEALTH_TOKEN = saved.token;
  resetEnv();
});

const get = (headers: Record<string, string> = {}) =>
  loader({ request: new Request("https://my-test-app.myshopify.io/healthz", { headers }), params: {}, context: {} });

describe("GET /healthz", () => {
  it("answers the public a bare status: no checks, error texts, hosts or latencies", async () => {
    for (const headers of [{} as Record<string, string>, { Authorization: "Bearer wrong-token-wrong-token" }, { Authorization: TOKEN }]) {
      const res = await get(headers);
      expect(res.status).toBe(200);
      expect(res.headers.get("cache-control")).toBe("no-store");
      const text = await res.text();
      expect(JSON.parse(text)).toEqual({ status: "ok" });
      expect(text).not.toMatch(/127\.0\.0\.1|fetch failed|ECONNREFUSED|error|latency/i);
    }
  });

  it("gives the full report, errors included, to the HEALTH_TOKEN bearer", async () => {
    const res = await get({ Authorization: `Bearer ${TOKEN}` });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { status: string; checks: Record<string, { ok: boolean; error?: string }> };
    expect(body.status).toBe("degraded");
    expect(body.checks.database.ok && body.checks.redis.ok && body.checks.queues.ok).toBe(true);
    expect(body.checks.line.ok).toBe(false);
    expect(body.checks.line.error).toBeTruthy();
  });
});

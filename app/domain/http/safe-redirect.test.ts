import { describe, expect, it } from "vitest";
import { safeRedirectPath } from "./safe-redirect";

describe("safeRedirectPath", () => {
  it.each([
    ["/app", "/app"],
    ["/app/broadcasts/new?locale=en", "/app/broadcasts/new?locale=en"],
    ["/app/segments/3#conditions", "/app/segments/3#conditions"],
    ["/", "/"],
    ["/app/a%2Fb", "/app/a%2Fb"],
  ])("keeps same-origin path %s", (target, expected) => {
    expect(safeRedirectPath(target, "/fallback")).toBe(expected);
  });

  it.each([
    null,
    undefined,
    "",
    "app",
    "//evil.example",
    "//evil.example/app",
    "/\\evil.example",
    "\\\\evil.example",
    "\\/evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    " //evil.example",
    "https://evil.example/app",
    "HTTPS://evil.example",
    "javascript:alert(1)",
    "data:text/html,x",
    "/%2F%2Fevil.example",
    "/%2f/evil.example",
    "/%5Cevil.example",
    "/%5cevil.example",
    "/" + "a".repeat(3000),
  ])("refuses %j", (target) => {
    expect(safeRedirectPath(target, "/fallback")).toBe("/fallback");
  });

  it("never yields a target that resolves to another origin", () => {
    const tricky = ["/.//evil.example", "/./\\evil.example", "/..//evil.example", "/%09/evil.example"];
    for (const t of tricky) {
      const out = safeRedirectPath(t, "/fallback");
      expect(new URL(out, "https://shop.example").origin).toBe("https://shop.example");
    }
  });
});

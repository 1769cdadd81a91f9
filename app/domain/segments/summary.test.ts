import { describe, expect, it } from "vitest";
import { summarizeDefinition } from "./summary";

describe("summarizeDefinition", () => {
  it("summarises groups with and/or", () => {
    expect(
      summarizeDefinition({
        groups: [
          {
            conditions: [
              { field: "tag", op: "has", value: "VIP" },
              { field: "daysSinceLastPurchase", op: "gte", value: 90 },
            ],
          },
          { conditions: [{ field: "abandonedCart", op: "is", value: true, minHours: 1, maxHours: 48 }] },
        ],
      }),
    ).toBe("Anyone who (has tag “VIP” and last purchase at least 90 days ago) or (abandoned a cart 1–48 hours ago)");
  });
  it("zero groups", () => {
    expect(summarizeDefinition({ groups: [] })).toBe("All friends");
  });
  it("numeric and list wording", () => {
    expect(
      summarizeDefinition({
        groups: [
          {
            conditions: [
              { field: "purchaseCount", op: "between", value: [2, 5] },
              { field: "shopifyTag", op: "hasAny", value: ["a", "b", "c"] },
            ],
          },
        ],
      }),
    ).toBe("Anyone who purchased between 2 and 5 times and customer tagged “a”, “b” or “c” in Shopify");
  });
});

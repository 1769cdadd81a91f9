import { describe, expect, it } from "vitest";
import { customKey, customProperties, inferPropertyType } from "./properties";

describe("inferPropertyType", () => {
  it.each([
    [[true, false, null], { type: "bool" }],
    [[1, 2.5, null, 0], { type: "number" }],
    [["2026-01-02", "1990-12-31"], { type: "date" }],
    [["2026-01-02T03:04:05Z", "2026-01-02T03:04:05.123+09:00"], { type: "datetime" }],
    [
      ["gold", "free", "gold", "free"],
      {
        type: "enumeration",
        options: [
          { value: "free", label: "free" },
          { value: "gold", label: "gold" },
        ],
      },
    ],
    // every value distinct: free text, not a pick list
    [["a", "b", "c"], { type: "string" }],
    [[1, "1"], { type: "string" }],
    [["2026-01-02", "2026-01-02T03:04:05Z"], { type: "string" }],
    [[null, undefined], { type: "string" }],
  ])("%j → %j", (values, expected) => {
    expect(inferPropertyType(values)).toEqual(expected);
  });
});

describe("customProperties", () => {
  it("names them properties.<name>, skips lists and objects, sorts by name", () => {
    expect(
      customProperties([
        { z: 1, tags: ["a"], addr: { c: 1 } },
        { z: 2, a: true },
      ]),
    ).toEqual([
      { name: "properties.a", label: "a", type: "bool" },
      { name: "properties.z", label: "z", type: "number" },
    ]);
  });
  it("customKey accepts both spellings", () => {
    expect(customKey("properties.line_user_id")).toBe("line_user_id");
    expect(customKey("line_user_id")).toBe("line_user_id");
  });
});

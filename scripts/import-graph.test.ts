// No import circles in app/: neither between modules nor between features (app/services/<area>,
// app/shopify.server.ts with the Shopify adapter, …). A circle makes what a process runs depend on
// which module it happened to load first; reactions to events go through app/reactions.server.ts.
import { describe, expect, it } from "vitest";
import { circles, featureGraph, importGraph } from "./import-graph";

describe("import graph of app/", () => {
  const graph = importGraph();
  it("has no module circles", () => {
    expect(circles(graph)).toEqual([]);
  });
  it("has no circles between features", () => {
    expect(circles(featureGraph(graph))).toEqual([]);
  });
  it("finds a circle when there is one", () => {
    const g = new Map([
      ["a", ["b"]],
      ["b", ["c"]],
      ["c", ["a"]],
      ["d", ["a"]],
    ]);
    expect(circles(g)).toEqual([["a", "b", "c"]]);
  });
});

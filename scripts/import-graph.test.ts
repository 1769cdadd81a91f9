// No import circles in app/: neither between modules nor between features (app/services/<area>,
// app/shopify.server.ts with the Shopify adapter, …). A circle makes what a process runs depend on
// which module it happened to load first; reactions to events go through app/reactions.server.ts.
import { describe, expect, it } from "vitest";
import { circles, featureGraph, importGraph, routesUsingDb } from "./import-graph";

describe("import graph of app/", () => {
  const graph = importGraph();
  it("has no module circles", () => {
    expect(circles(graph)).toEqual([]);
  });
  it("has no circles between features", () => {
    expect(circles(featureGraph(graph))).toEqual([]);
  });
  it("has no route that queries the database itself (routes call services and app/db/*)", () => {
    expect(routesUsingDb(graph)).toEqual([]);
  });
  it("finds a route that imports app/db.server.ts", () => {
    const g = new Map([
      ["app/routes/app.tags.tsx", ["app/db.server.ts", "app/db/tags.server.ts"]],
      ["app/routes/app.friends.tsx", ["app/db/tags.server.ts"]],
      ["app/db/tags.server.ts", ["app/db.server.ts"]],
    ]);
    expect(routesUsingDb(g)).toEqual(["app/routes/app.tags.tsx"]);
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

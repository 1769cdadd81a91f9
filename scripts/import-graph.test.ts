// No import circles in app/: neither between modules nor between features (app/services/<area>,
// app/shopify.server.ts with the Shopify adapter, …). A circle makes what a process runs depend on
// which module it happened to load first; reactions to events go through app/reactions.server.ts.
import { describe, expect, it } from "vitest";
import { circles, featureGraph, featureOf, importGraph, importsOf, routesUsingDb, sideEffectImports } from "./import-graph";

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
  it("has no module imported for its side effects (registration happens in declared maps)", () => {
    expect(sideEffectImports()).toEqual([]);
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
  it("counts type-only imports, re-exports and import() types as dependencies", () => {
    const text = [
      'import type { A } from "./a";',
      'import { type B } from "./b";',
      'export type { C } from "./c";',
      'export * from "./d";',
      'type E = import("./e").E;',
      'const f = () => import("./f");',
    ].join("\n");
    expect(importsOf("x.ts", text)).toEqual(["./a", "./b", "./c", "./d", "./e", "./f"]);
  });
  it("groups files into features; app/shopify.server.ts belongs to the Shopify adapter", () => {
    expect(featureOf("app/services/rich-menus/sync.server.ts")).toBe("app/services/rich-menus");
    expect(featureOf("app/domain/segments/schema.ts")).toBe("app/domain/segments");
    expect(featureOf("app/services/line-event-handlers.ts")).toBe("app/services/line-event-handlers.ts");
    expect(featureOf("app/shopify.server.ts")).toBe("app/adapters/shopify");
    const g = new Map([
      ["app/services/a/x.ts", ["app/services/b/y.ts"]],
      ["app/services/b/y.ts", []],
      ["app/services/b/z.ts", ["app/services/a/w.ts"]],
      ["app/services/a/w.ts", []],
    ]);
    // No module circle, but the two features import each other.
    expect(circles(g)).toEqual([]);
    expect(circles(featureGraph(g))).toEqual([["app/services/a", "app/services/b"]]);
  });
});

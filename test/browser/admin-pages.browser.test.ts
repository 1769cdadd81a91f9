// Every admin page (each app.* route with a UI) loads with real data in headless Chromium without a
// console error, a page error or an error boundary. A new page file without a line here fails the
// first test.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "~/adapters/infra/bootstrap.server";
import { useAdminPages } from "./support/admin-pages";

const admin = useAdminPages();
const PAGE_ROUTES = [
  "app._index",
  "app.dashboard",
  "app.friends",
  "app.segments._index",
  "app.segments.$id",
  "app.tags",
  "app.broadcasts._index",
  "app.broadcasts.new",
  "app.broadcasts.$id",
  "app.automations._index",
  "app.automations.abandoned-cart",
  "app.automations.lifecycle",
  "app.rich-menus._index",
  "app.rich-menus.$id",
  "app.menu-rules",
  "app.sync-health",
  "app.settings",
];

describe("admin pages", () => {
  it("lists every app.* route that renders a page", () => {
    const pages = fs
      .readdirSync(path.join(ROOT, "app/routes"))
      .filter(
        (f) =>
          f.startsWith("app.") &&
          f !== "app.tsx" &&
          /export default function/.test(fs.readFileSync(path.join(ROOT, "app/routes", f), "utf8")),
      )
      .map((f) => f.replace(/\.tsx$/, ""));
    expect(pages.sort()).toEqual([...PAGE_ROUTES].sort());
  });

  it("Home", () => admin.expectPageLoads("/app"));
  it("Dashboard", () => admin.expectPageLoads("/app/dashboard"));
  it("Friends", () => admin.expectPageLoads("/app/friends"));
  it("Segments", () => admin.expectPageLoads("/app/segments"));
  it("Segment editor (new)", () => admin.expectPageLoads("/app/segments/new"));
  it("Segment editor (existing)", () => admin.expectPageLoads(`/app/segments/${admin.ids.segment}`));
  it("Tags", () => admin.expectPageLoads("/app/tags"));
  it("Broadcasts", () => admin.expectPageLoads("/app/broadcasts"));
  it("New broadcast", () => admin.expectPageLoads("/app/broadcasts/new"));
  it("Broadcast report", () => admin.expectPageLoads(`/app/broadcasts/${admin.ids.broadcast}`));
  it("Automations", () => admin.expectPageLoads("/app/automations"));
  it("Abandoned cart automation", () => admin.expectPageLoads("/app/automations/abandoned-cart"));
  it("Lifecycle automations", () => admin.expectPageLoads("/app/automations/lifecycle"));
  it("Rich menus", () => admin.expectPageLoads("/app/rich-menus"));
  it("Rich menu designer", () => admin.expectPageLoads(`/app/rich-menus/${admin.ids.richMenu}`));
  it("Menu rules", () => admin.expectPageLoads("/app/menu-rules"));
  it("Sync health", () => admin.expectPageLoads("/app/sync-health"));
  it("Settings", () => admin.expectPageLoads("/app/settings"));
});

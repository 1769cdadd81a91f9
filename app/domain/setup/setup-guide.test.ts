import { describe, expect, it } from "vitest";
import { setupGuide } from "./setup-guide";

const none = { lineConnected: false, linkedFriends: 0, segments: 0, publishedMenus: 0, automationsOn: 0 };

describe("setupGuide", () => {
  it("starts at connecting LINE", () => {
    expect(setupGuide(none)).toMatchObject({ done: 0, total: 5, next: "connectLine" });
  });

  it("opens the first step not done, even when a later one is", () => {
    const g = setupGuide({ ...none, lineConnected: true, segments: 2 });
    expect(g).toMatchObject({ done: 2, next: "linkFriends" });
    expect(g.steps.map((s) => s.done)).toEqual([true, false, true, false, false]);
  });

  it("is complete when every step is done", () => {
    expect(setupGuide({ lineConnected: true, linkedFriends: 1, segments: 1, publishedMenus: 1, automationsOn: 1 })).toMatchObject({
      done: 5,
      next: null,
    });
  });
});

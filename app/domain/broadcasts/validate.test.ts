import { describe, expect, it } from "vitest";
import { checkMessages, isHttpUrl } from "./validate";
import { blockToMessage, validateBlocks, type ComposeBlock } from "./compose";
import { labelAsTest } from "./test-label";
import { isFutureScheduleTime } from "./schedule";
import { sendFailureReason, storedFailureReason } from "./failures";
import { PLACEHOLDER_MAX_UTF16, renderText } from "./personalize";

const coupon = (url: string): ComposeBlock => ({ kind: "coupon", title: "10% off", code: "SAVE10", url });

describe("isHttpUrl", () => {
  it.each([
    ["https://shop.example/discount/SAVE10", true],
    ["http://shop.example", true],
    [" https://shop.example ", true],
    ["javascript:alert(1)", false],
    ["JavaScript:alert(1)", false],
    ["data:text/html,hi", false],
    ["line://ti/p/@x", false],
    ["tel:+81312345678", false],
    ["shop.example", false],
    ["https://", false],
    ["", false],
  ])("%s → %s", (url, ok) => expect(isHttpUrl(url)).toBe(ok));
});

describe("checkMessages", () => {
  it("finds the javascript: link in a coupon card (issue 10)", () => {
    expect(checkMessages([{ type: "text", text: "hi" }, blockToMessage(coupon("javascript:alert(1)"))])).toEqual([
      { message: 1, path: "contents.footer.contents[0].action.uri", code: "link_not_http" },
    ]);
  });
  it.each([
    ["no messages", [], [{ message: null, path: "", code: "no_messages" }]],
    [
      "six messages",
      Array.from({ length: 6 }, () => ({ type: "text", text: "x" })),
      [{ message: null, path: "", code: "too_many_messages", limit: 5 }],
    ],
    ["empty text", [{ type: "text", text: "  " }], [{ message: 0, path: "text", code: "empty" }]],
    [
      "5,001 characters",
      [{ type: "text", text: "あ".repeat(5001) }],
      [{ message: 0, path: "text", code: "too_long", limit: 5000, unit: "utf16" }],
    ],
    [
      "http image",
      [{ type: "image", originalContentUrl: "http://x.example/a.png", previewImageUrl: "https://x.example/p.png" }],
      [{ message: 0, path: "originalContentUrl", code: "image_not_https" }],
    ],
    [
      "long altText",
      [{ type: "flex", altText: "x".repeat(1501), contents: { type: "bubble" } }],
      [{ message: 0, path: "altText", code: "too_long", limit: 1500, unit: "utf16" }],
    ],
  ] as const)("%s", (_l, messages, problems) => expect(checkMessages(messages)).toEqual(problems));

  it("counts UTF-16 units as LINE does: an emoji is 2", () => {
    expect(checkMessages([{ type: "text", text: "😀".repeat(2500) }])).toEqual([]);
    expect(checkMessages([{ type: "text", text: "😀".repeat(2500) + "x" }])[0]).toMatchObject({ code: "too_long" });
  });

  it("a text that only overflows with a long display name is caught", () => {
    expect(checkMessages([{ type: "text", text: "x".repeat(4990) }])).toEqual([]);
    expect(checkMessages([{ type: "text", text: `${"x".repeat(4990)}{{displayName|you}}` }])[0]).toMatchObject({ code: "too_long" });
    // A LINE name of 20 astral characters is 40 units: 4,961 + 40 = 5,001.
    expect(checkMessages([{ type: "text", text: `${"x".repeat(4961)}{{displayName}}` }])).toEqual([
      { message: 0, path: "text", code: "too_long", limit: 5000, unit: "utf16" },
    ]);
    expect(checkMessages([{ type: "text", text: `${"x".repeat(4960)}{{displayName}}` }])).toEqual([]);
  });

  it("renders a placeholder no longer than validation assumed, cut between characters", () => {
    const name = "👨‍👩‍👧‍👦".repeat(20); // 20 characters, 220 UTF-16 units
    const out = renderText("{{displayName}}", { displayName: name });
    expect(out.length).toBeLessThanOrEqual(PLACEHOLDER_MAX_UTF16.displayName);
    expect(out).toBe("👨‍👩‍👧‍👦".repeat(3));
    expect(renderText("{{displayName|friend}}", { displayName: "さくら" })).toBe("さくら");
  });

  it("counts action labels in characters as users see them, with LINE's limit for where the action is", () => {
    const family = "👨‍👩‍👧‍👦";
    const button = (label: string) => ({
      type: "flex",
      altText: "x",
      contents: {
        type: "bubble",
        footer: {
          type: "box",
          layout: "vertical",
          contents: [{ type: "button", action: { type: "uri", label, uri: "https://x.example" } }],
        },
      },
    });
    expect(checkMessages([button(family.repeat(40))])).toEqual([]);
    expect(checkMessages([button(family.repeat(41))])).toEqual([
      { message: 0, path: "contents.footer.contents[0].action.label", code: "too_long", limit: 40, unit: "grapheme" },
    ]);
    const quick = (label: string) => ({
      type: "text",
      text: "Pick one",
      quickReply: { items: [{ type: "action", action: { type: "message", label, text: label } }] },
    });
    expect(checkMessages([quick("ดูสินค้าทั้งหมดที่ร้านเลยค่ะ!")])).toEqual([]); // 20 characters, 29 units
    expect(checkMessages([quick("x".repeat(21))])).toEqual([
      { message: 0, path: "quickReply.items[0].action.label", code: "too_long", limit: 20, unit: "grapheme" },
    ]);
  });
});

describe("validateBlocks", () => {
  it("puts each problem on the composer field it came from", () => {
    expect(validateBlocks([{ kind: "text", text: "Hi" }, coupon("javascript:alert(1)")])).toEqual([
      { block: 1, field: "couponUrl", code: "link_not_http" },
    ]);
    expect(validateBlocks([{ kind: "coupon", title: "", code: " ", url: "https://x.example" }])).toEqual([
      { block: 0, field: "couponCode", code: "code_required" },
    ]);
    expect(validateBlocks([{ kind: "image", imageUrl: "http://x.example/a.png" }])).toEqual([
      { block: 0, field: "imageUrl", code: "image_not_https" },
    ]);
    expect(validateBlocks([])).toEqual([{ block: null, field: "messages", code: "no_messages" }]);
    expect(validateBlocks([{ kind: "text", text: "ok" }, coupon("https://shop.example/discount/SAVE10")])).toEqual([]);
  });
});

describe("labelAsTest", () => {
  it("labels texts, card alt texts and bubbles; an image gets a label message first", () => {
    const out = labelAsTest([
      { type: "text", text: "Hi" },
      blockToMessage(coupon("https://x.example")),
      { type: "image", originalContentUrl: "https://x/a.png", previewImageUrl: "https://x/a.png" },
    ]);
    expect(out.map((m) => m.text ?? m.altText ?? m.type)).toEqual(["[TEST]", "[TEST] Hi", "[TEST] Coupon: 10% off", "image"]);
    expect(JSON.stringify(out[2]!.contents)).toContain('"header"');
    expect(checkMessages(out)).toEqual([]);
  });
  it("keeps a labelled text within LINE's 5,000 units, cut between characters", () => {
    const [m] = labelAsTest([{ type: "text", text: "🍎".repeat(2500) }]);
    expect(String(m!.text)).toHaveLength(5000); // "[TEST] " (7) + 2,496 apples (4,992) + "…" (1)
    expect(String(m!.text).endsWith("🍎…")).toBe(true);
    expect(checkMessages([m])).toEqual([]);
  });
  it("never goes beyond LINE's 5 messages", () => {
    const five = Array.from({ length: 5 }, () => ({
      type: "image",
      originalContentUrl: "https://x/a.png",
      previewImageUrl: "https://x/a.png",
    }));
    expect(labelAsTest(five)).toHaveLength(5);
  });
});

describe("isFutureScheduleTime", () => {
  const now = new Date("2026-12-28T01:00:30Z");
  it.each([
    ["a minute ago", "2026-12-28T00:59:30Z", false],
    ["the same minute, already started (10:00 Tokyo picked at 10:00:30)", "2026-12-28T01:00:00Z", false],
    ["exactly now", "2026-12-28T01:00:30Z", false],
    ["a second later", "2026-12-28T01:00:31Z", true],
  ])("%s", (_l, at, ok) => expect(isFutureScheduleTime(new Date(at), now)).toBe(ok));
});

describe("send failure reasons", () => {
  it.each([
    ["quota-exceeded", "quota_exceeded"],
    ["invalid", "message_rejected"],
    ["unauthorized", "channel_unauthorized"],
    ["rate-limited", "line_unavailable"],
    ["transient", "line_unavailable"],
  ] as const)("%s → %s", (kind, reason) => expect(sendFailureReason(kind)).toBe(reason));
  it("reads old free-text rows as unknown, never as LINE's text", () => {
    expect(storedFailureReason("400 The request body has 1 error(s)")).toBe("unknown");
    expect(storedFailureReason("no LINE channel")).toBe("no_line_channel");
    expect(storedFailureReason("cancelled")).toBe("cancelled");
  });
});

// Test sends are marked as tests where the friend sees them (pure): the chat bubble of a text, the
// notification / chat-list text (altText) of a card, and a "TEST" header on a card's bubble. An image
// cannot carry text, so a short label message goes first when the 5-message limit leaves room.
// The label must not push a text over LINE's limit (a 4,995-unit text + "[TEST] " was refused with a
// 400): a labelled text is shortened, between characters, to the limit with "…".
import { truncateFor, type LineTextField } from "~/domain/line/text-limits";
import { MAX_MESSAGES_PER_REQUEST } from "./validate";

const TEST_LABEL = "[TEST]";

/** A staff-chosen test friend; `reachable` is false for one who blocked the account or unfollowed. */
export type TestFriend = { id: number; name: string; reachable: boolean };

type Message = Record<string, unknown> & { type: string };

function labelBubble(bubble: unknown): unknown {
  if (!bubble || typeof bubble !== "object") return bubble;
  const b = bubble as Record<string, unknown>;
  if (b.type === "carousel" && Array.isArray(b.contents)) return { ...b, contents: b.contents.map(labelBubble) };
  if (b.type !== "bubble" || b.header) return b;
  return {
    ...b,
    header: {
      type: "box",
      layout: "vertical",
      contents: [{ type: "text", text: TEST_LABEL, size: "xs", weight: "bold", color: "#d82c0d" }],
    },
  };
}

/**
 * The messages with a visible test label on each (see the file comment for where it goes). Label
 * rendered messages (placeholders already replaced), so shortening cannot cut a placeholder.
 */
export function labelAsTest(messages: Message[]): Message[] {
  const prefix = (s: unknown, field: LineTextField) => truncateFor(field, `${TEST_LABEL} ${String(s ?? "")}`, "…");
  const labelled = messages.map((m): Message => {
    if (m.type === "text") return { ...m, text: prefix(m.text, "messageText") };
    if (m.type === "flex") return { ...m, altText: prefix(m.altText, "flexAltText"), contents: labelBubble(m.contents) };
    if (m.type === "template") return { ...m, altText: prefix(m.altText, "templateAltText") };
    return m;
  });
  const unlabelled = messages.some((m) => !["text", "flex", "template"].includes(m.type));
  return unlabelled && labelled.length < MAX_MESSAGES_PER_REQUEST ? [{ type: "text", text: TEST_LABEL }, ...labelled] : labelled;
}

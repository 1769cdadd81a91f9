// Merchant-facing words for broadcast problems and estimates. Keys and {{param}} interpolation follow
// i18next, so this table moves into the locale files as is (docs/i18n.md).
import type { ComposeProblem } from "~/domain/broadcasts/compose";
import type { SendFailureReason } from "~/domain/broadcasts/failures";

export const BROADCAST_TEXT_EN = {
  problem: {
    no_messages: "Add at least one message.",
    too_many_messages: "LINE sends at most {{limit}} messages at once. Remove one.",
    empty: "Message {{n}} is empty.",
    too_long:
      "Message {{n}} is too long: LINE allows at most {{limit}} characters here (a placeholder counts as the longest name or product title it can show).",
    link_not_http: "The link in message {{n}} must be a web address starting with https:// or http://.",
    image_not_https: "The image address in message {{n}} must start with https://.",
    too_many_cards: "A carousel shows at most {{limit}} products.",
    code_required: "Enter the coupon code.",
    couponUrl: "Enter a web address starting with https:// (for example your store's discount link).",
  },
  error: {
    line_refused_message: "LINE refused message {{n}} as it is. Check its links and text, then try again.",
    schedule_in_past: "That time has already passed ({{timezone}}). Choose a later time, or use Send now.",
    schedule_date: "Choose a date.",
    no_test_friends: "Choose at least one test friend first.",
    no_line_channel: "Connect a LINE channel in Settings before sending.",
    too_many_personalized:
      "Personalised broadcasts go out one by one and can reach at most {{limit}} friends. Remove the placeholders or choose a smaller audience.",
    invalid_state: "This broadcast has already been sent or cancelled.",
    over_quota: "This send doesn't fit in your LINE message quota. Trim the audience to fit, or send later.",
    name: "Enter a name for this broadcast.",
    audience: "Choose at least one segment, or all friends.",
  },
  failure: {
    quota_exceeded: "Your LINE plan's monthly message limit was reached, so LINE did not deliver these.",
    message_rejected: "LINE refused the message content (for example an unsupported link), so nobody in these batches got it.",
    channel_unauthorized: "LINE did not accept the channel's access token. Reconnect LINE in Settings.",
    line_unavailable: "LINE could not be reached after several tries.",
    no_line_channel: "No LINE channel was connected when this was sent.",
    cancelled: "The broadcast was cancelled before these were sent.",
    unknown: "The send failed for a reason LINE did not explain.",
  } satisfies Record<SendFailureReason, string>,
} as const;

type Params = Record<string, string | number>;

/** Looks up "group.key" and fills {{param}}s (English until the page moves to i18next). */
export function broadcastText(key: string, params: Params = {}): string {
  const [group, name] = key.split(".") as [keyof typeof BROADCAST_TEXT_EN, string];
  const template = (BROADCAST_TEXT_EN[group] as Record<string, string> | undefined)?.[name] ?? key;
  return template.replace(/\{\{(\w+)\}\}/g, (_m, p: string) => String(params[p] ?? ""));
}

/** One composer problem in plain words (message numbers are 1-based for people). */
export function describeComposeProblem(p: ComposeProblem): string {
  if (p.field === "couponUrl" && p.code === "link_not_http") return broadcastText("problem.couponUrl");
  return broadcastText(`problem.${p.code}`, { n: (p.block ?? 0) + 1, limit: p.limit ?? "" });
}

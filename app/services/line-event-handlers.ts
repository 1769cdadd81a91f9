// The shape of a keyword or postback reaction inside `line-events.process-event` processing. Features export their
// handlers; app/services/line-events/process.server.ts lists them in the order they are tried. This
// contract stands beside the feature folders, not inside line-events: a feature that exports a
// handler (rich-menus) depends on it, and line-events depends on the feature, with no circle.
import type { Friend, Shop } from "@prisma/client";
import type { PostbackData } from "~/domain/linking/linking";

export interface LineEventContext {
  shop: Shop;
  friend: Friend;
  replyToken?: string;
  at: Date;
  /** Sends one text reply with the event's reply token (free); false when there is none or it failed. */
  reply(text: string): Promise<boolean>;
}

export type HandlerResult = "handled" | "pass";

export interface KeywordHandler {
  name: string;
  handle(text: string, ctx: LineEventContext): Promise<HandlerResult>;
}
export interface PostbackHandler {
  name: string;
  handle(data: PostbackData, ctx: LineEventContext): Promise<HandlerResult>;
}

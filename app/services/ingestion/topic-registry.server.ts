// Topic → handler registry (kept apart from the processor so handler modules can register without an
// import cycle).
export type HandlerOutcome =
  { status: "processed"; detail?: string } | { status: "stale"; detail?: string } | { status: "quarantined"; reason: string };

export interface DeliveryContext {
  id: number;
  shopDomain: string;
  topic: string;
  webhookId: string;
  triggeredAt: Date | null;
  receivedAt: Date;
  payload: unknown;
}

export type TopicHandler = (d: DeliveryContext) => Promise<HandlerOutcome>;

export const handlers = new Map<string, TopicHandler>();

export function registerTopicHandler(topic: string, handler: TopicHandler) {
  handlers.set(topic, handler);
}

// What a Shopify topic handler is given and answers (kept apart from the processor so the handler
// module imports these types without an import cycle). The topic → handler map itself is declared
// in one object, TOPIC_HANDLERS (topic-handlers.server.ts); nothing registers by being imported.
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

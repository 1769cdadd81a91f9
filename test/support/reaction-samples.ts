// One occurrence of every event, chosen so that every reaction in app/reactions.server.ts fires for
// at least one of them (`when` conditions included). Used by test/integration/reactions-processes.test.ts
// and the probe it runs in each process kind.
import type { EventType, Events } from "~/reactions.server";

type Sample = { [T in EventType]: { type: T; event: Events[T] } }[EventType];

const friend = { shopId: 1, friendId: 2 };
const customer = { shopId: 1, shopifyCustomerId: "9007199254740993", exists: true, friendIds: [2] };

export const REACTION_SAMPLES: Sample[] = [
  { type: "shop.installed", event: { shopId: 1, shopDomain: "probe.myshopify.com" } },
  { type: "customer.facts-changed", event: { ...customer, cause: "orders/create" } },
  { type: "customer.facts-changed", event: { ...customer, cause: "customers/update" } },
  { type: "customer.facts-changed", event: { ...customer, cause: "orders/create", friendIds: [] } },
  { type: "customer.facts-changed", event: { ...customer, cause: "customers/redact", exists: false, friendIds: [] } },
  { type: "friend.followed", event: { ...friend, isNew: true, at: 1_700_000_000_000 } },
  { type: "friend.followed", event: { ...friend, isNew: false, at: 1_700_000_000_000 } },
  { type: "friend.unfollowed", event: friend },
  { type: "friend.linked", event: { ...friend, source: "thank_you" } },
  { type: "friend.linked", event: { ...friend, source: "import" } },
  { type: "friend.unlinked", event: friend },
  { type: "friend.consent-changed", event: { ...friend, optedOut: true } },
  { type: "segment.entered", event: { ...friend, segmentId: 3, at: 1_700_000_000_000, hops: 0 } },
  { type: "segment.left", event: { ...friend, segmentId: 3, at: 1_700_000_000_000, hops: 1 } },
  { type: "cart.reminders-sent", event: { shopId: 1, friendIds: [2, 5], switchMenu: true } },
  { type: "cart.reminders-sent", event: { shopId: 1, friendIds: [2], switchMenu: false } },
  { type: "cart.closed", event: { ...friend, switchMenu: true } },
  { type: "integration.contacts-synced", event: { shopId: 1, provider: "hubspot", externalIds: ["101"], friendIds: [2] } },
  { type: "integration.disconnected", event: { shopId: 1, provider: "klaviyo", friendIds: [2] } },
];

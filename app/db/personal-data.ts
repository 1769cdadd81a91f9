// Every table of prisma/schema.prisma and what happens to the personal data in it on Shopify's privacy
// webhooks (https://shopify.dev/docs/apps/build/privacy-law-compliance). test/integration/redaction.test.ts
// checks that this list names every model and proves each rule with rows (a test per table), so a new
// table cannot be added without deciding how it is redacted. docs/security.md summarises it.
//
// Who is "the customer" of a customers/redact: the Shopify customer id, the orders Shopify lists in
// `orders_to_redact`, their checkouts, and — while linked — the LINE friend linked to that customer.
// The LINE friend row itself stays (it is the shopper's friendship with the merchant's LINE account,
// which the shopper controls in LINE; its opt-out must keep being honoured), but it is unlinked and its
// message texts are erased.

export type Redaction =
  /** Rows about the customer are deleted. */
  | "deleted"
  /** The personal fields are cleared; the row stays for counts or integrity. */
  | "scrubbed"
  /** Holds no personal data of the customer (merchant content, aggregates, or LINE-friend data kept as above). */
  | "none";

export interface PersonalDataRule {
  /** What personal data the table can hold. */
  holds: string;
  /** customers/redact. */
  customerRedact: Redaction;
  /** shop/redact: every table with a shopId is emptied for the shop ("deleted"). */
  shopRedact: "deleted" | "none";
  /** Included in the customers/data_request export (key in the export JSON), if any. */
  exported?: string;
  why?: string;
}

export const PERSONAL_DATA: Record<string, PersonalDataRule> = {
  Session: {
    holds: "Shopify access/refresh tokens (encrypted); staff name/email for online sessions",
    customerRedact: "none",
    shopRedact: "deleted",
  },
  Shop: { holds: "shop settings, LINE credentials (encrypted)", customerRedact: "none", shopRedact: "deleted" },
  Friend: {
    holds: "LINE user id, display name, picture, language, link to the customer",
    customerRedact: "scrubbed",
    shopRedact: "deleted",
    exported: "friend",
    why: "unlinked (customerId, linkedAt, linkSource cleared); the friendship and its opt-out stay",
  },
  Customer: {
    holds: "customer facts, tags, marketing states, locale",
    customerRedact: "deleted",
    shopRedact: "deleted",
    exported: "customer",
  },
  Order: { holds: "orders, checkout token, status URL", customerRedact: "deleted", shopRedact: "deleted", exported: "orders" },
  OrderLine: { holds: "purchased products", customerRedact: "deleted", shopRedact: "deleted", exported: "orders[].lines" },
  CustomerProduct: { holds: "per-product purchase history", customerRedact: "deleted", shopRedact: "deleted", exported: "products" },
  ProductRebuy: { holds: "shop-wide median per product (aggregate)", customerRedact: "none", shopRedact: "deleted" },
  Checkout: { holds: "carts, recovery URL, line items", customerRedact: "deleted", shopRedact: "deleted", exported: "checkouts" },
  RefusedWebhook: {
    holds: "claimed shop domains, topics and webhook ids of refused deliveries (never the body)",
    customerRedact: "none",
    shopRedact: "deleted",
    why: "security record of replays; rows naming the shop (claimed or named in the body) go with shop/redact",
  },
  WebhookDelivery: {
    holds: "raw Shopify payloads (addresses, emails, phones)",
    customerRedact: "scrubbed",
    shopRedact: "deleted",
    why: "every payload naming the customer (id, email, phone), one of their orders or checkouts is emptied",
  },
  LineEvent: {
    holds: "raw LINE events incl. message texts",
    customerRedact: "scrubbed",
    shopRedact: "deleted",
    exported: "lineMessages",
    why: "the linked friend's message contents are erased; all events are deleted after LINE_EVENT_RETENTION_DAYS",
  },
  BackfillRun: { holds: "bulk operation bookkeeping", customerRedact: "none", shopRedact: "deleted" },
  LinkIntent: { holds: "one-time link codes for a customer/order", customerRedact: "deleted", shopRedact: "deleted" },
  LinkFunnelEvent: {
    holds: "order id of a link funnel step",
    customerRedact: "scrubbed",
    shopRedact: "deleted",
    why: "order id cleared, counts kept",
  },
  RichMenuTap: {
    holds: "LINE friend's menu taps",
    customerRedact: "none",
    shopRedact: "deleted",
    why: "friend activity; unlinked from the customer",
  },
  Tag: { holds: "merchant tag names", customerRedact: "none", shopRedact: "deleted" },
  FriendTag: { holds: "friend ↔ tag", customerRedact: "none", shopRedact: "deleted", exported: "friendTags" },
  SegmentFolder: { holds: "merchant content", customerRedact: "none", shopRedact: "deleted" },
  Segment: { holds: "merchant content", customerRedact: "none", shopRedact: "deleted" },
  SegmentFacts: {
    holds: "a copy of the friend's follow/consent state and of the linked customer's purchase facts and Shopify tags (segment counts)",
    customerRedact: "scrubbed",
    shopRedact: "deleted",
    why: "written only by database triggers: the customer's columns empty when the customer row is deleted or the friend unlinked, the row goes with the friend",
  },
  SegmentMembership: { holds: "friend ↔ segment", customerRedact: "none", shopRedact: "deleted", why: "re-evaluated after the unlink" },
  MessageSend: { holds: "which friend got which send (no text)", customerRedact: "none", shopRedact: "deleted" },
  Reminder: {
    holds: "reminders about the customer's carts/orders",
    customerRedact: "deleted",
    shopRedact: "deleted",
    exported: "reminders",
  },
  RichMenu: { holds: "merchant content", customerRedact: "none", shopRedact: "deleted" },
  MenuRule: { holds: "merchant content", customerRedact: "none", shopRedact: "deleted" },
  MenuApplyRun: { holds: "job bookkeeping", customerRedact: "none", shopRedact: "deleted" },
  MenuCreationLog: { holds: "LINE rich menu ids", customerRedact: "none", shopRedact: "deleted" },
  DriftReport: { holds: "LINE user ids with a drifted menu", customerRedact: "none", shopRedact: "deleted" },
  Fulfillment: { holds: "fulfillment status of the customer's orders", customerRedact: "deleted", shopRedact: "deleted" },
  DataRequestExport: {
    holds: "a full export of the customer",
    customerRedact: "deleted",
    shopRedact: "deleted",
  },
  TrackedLink: {
    holds: "the customer's cart recovery URL (reminder links)",
    customerRedact: "scrubbed",
    shopRedact: "deleted",
    why: "recovery URLs of the customer's reminders now point at the storefront; /r/ links already sent stay harmless",
  },
  LinkClick: {
    holds: "friend clicks, user agent",
    customerRedact: "none",
    shopRedact: "deleted",
    why: "friend activity; unlinked from the customer",
  },
  Broadcast: { holds: "merchant content", customerRedact: "none", shopRedact: "deleted" },
  BroadcastBatch: { holds: "friend ids per batch", customerRedact: "none", shopRedact: "deleted" },
  ConsentEvent: {
    holds: "the friend's opt-out history",
    customerRedact: "none",
    shopRedact: "deleted",
    exported: "consentEvents",
    why: "proof of the friend's consent choices, kept with the friendship",
  },
  Attribution: { holds: "an order attributed to a click (revenue)", customerRedact: "deleted", shopRedact: "deleted" },
  MessagingPolicy: { holds: "merchant settings", customerRedact: "none", shopRedact: "deleted" },
  TagRule: { holds: "merchant settings", customerRedact: "none", shopRedact: "deleted" },
  LinkHistory: {
    holds: "link changes with the customer id",
    customerRedact: "scrubbed",
    shopRedact: "deleted",
    exported: "linkHistory",
    why: "customer id cleared",
  },
  ErasedCustomer: {
    holds: "the erased customer's id (tombstone)",
    customerRedact: "none",
    shopRedact: "deleted",
    why: "kept so late deliveries about the customer are dropped instead of re-creating data",
  },
  AssistantConversation: {
    holds: "the merchant's conversations with the segment assistant",
    customerRedact: "none",
    shopRedact: "deleted",
  },
  AssistantSetting: { holds: "merchant settings, LLM API key (encrypted)", customerRedact: "none", shopRedact: "deleted" },
  // HubSpot / Klaviyo mirror (docs/integrations.md).
  IntegrationConnection: {
    holds: "merchant settings, HubSpot/Klaviyo credentials (encrypted)",
    customerRedact: "none",
    shopRedact: "deleted",
  },
  IntegrationSyncRun: { holds: "sync bookkeeping (cursors, counts)", customerRedact: "none", shopRedact: "deleted" },
  IntegrationContact: {
    holds: "the merchant's CRM contact: email, phone, properties, the matched customer and friend",
    customerRedact: "deleted",
    shopRedact: "deleted",
    why: "contacts matched to the customer or carrying their email/phone hash; a later sync may import the merchant's contact again, unmatched (the customer's hashes are gone)",
    exported: "integrations.contacts",
  },
  IntegrationList: { holds: "merchant content (list names)", customerRedact: "none", shopRedact: "deleted" },
  IntegrationListMember: {
    holds: "contact ↔ list",
    customerRedact: "deleted",
    shopRedact: "deleted",
    why: "the memberships of the deleted contacts",
    exported: "integrations.contacts[].lists",
  },
  IntegrationProperty: { holds: "property metadata", customerRedact: "none", shopRedact: "deleted" },
  IntegrationWriteBack: {
    holds: "pending write-backs of the friend's LINE status and LINE message events",
    customerRedact: "deleted",
    shopRedact: "deleted",
    why: "rows of the linked friend are not sent any more",
    exported: "integrations.pendingWriteBacks",
  },
};

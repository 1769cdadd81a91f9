// How many request-body bytes each public path may send. The web process refuses a larger declared
// Content-Length with 413 before reading a byte, and stops reading (413) a body without one as soon as
// it passes the cap, so memory per request is bounded by these numbers whatever a client sends —
// before any signature is checked (docs/security.md#ingress).
//
// Neither Shopify nor LINE documents a maximum webhook payload size (shared/reference/
// shopify-platform-facts.md §3, line-platform-facts.md §3), so the webhook caps are generous multiples
// of the largest bodies those topics carry: a Shopify order with hundreds of line items, fulfillments
// and refunds is well under 1 MB; a LINE webhook carries ids and ≤ 5,000-character texts per event.

const KiB = 1024;
const MiB = 1024 * KiB;

export const BODY_LIMITS = {
  /** /webhooks/<topic>: Shopify webhook deliveries (one resource per delivery). */
  shopifyWebhook: 5 * MiB,
  /** /webhooks/line/<shop>: LINE Messaging API webhooks (a batch of events). */
  lineWebhook: 1 * MiB,
  /** /app/rich-menus/<id>: designer form with an uploaded image; larger than LINE's 1 MB because
   *  the app resizes and compresses photos to LINE's rules (adapters/images/menu-image.server.ts). */
  richMenuUpload: 10 * MiB,
  /** /app/friends: the links CSV import (≤ 200,000 rows, links-csv.server.ts MAX_IMPORT_ROWS). */
  linksCsvImport: 16 * MiB,
  /** /api/* (checkout extension) and /proxy/* (app proxy): small JSON or form posts from storefronts. */
  storefront: 64 * KiB,
  /** Everything else (admin forms, auth, sandbox login). */
  other: 1 * MiB,
} as const;

/** The body cap in bytes for a request path (pathname only, no query). */
export function bodyLimitFor(pathname: string): number {
  if (pathname.startsWith("/webhooks/line/")) return BODY_LIMITS.lineWebhook;
  if (pathname.startsWith("/webhooks/")) return BODY_LIMITS.shopifyWebhook;
  if (pathname.startsWith("/api/") || pathname.startsWith("/proxy/")) return BODY_LIMITS.storefront;
  if (/^\/app\/rich-menus\/[^/]+\/?$/.test(pathname)) return BODY_LIMITS.richMenuUpload;
  if (/^\/app\/friends\/?$/.test(pathname)) return BODY_LIMITS.linksCsvImport;
  return BODY_LIMITS.other;
}

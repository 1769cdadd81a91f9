// Tiny standalone pages shown to shoppers outside Shopify admin (LINE Login start/callback). No
// Polaris: they open in the shopper's browser or LINE's in-app browser.
/**
 * HTML-escapes text for these pages and for app-proxy Liquid responses; braces too, because Shopify
 * renders a proxied `application/liquid` body as Liquid (a LINE display name like "{{ customer.email }}"
 * must stay text).
 */
export const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"'{}]/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;", "{": "&#123;", "}": "&#125;" })[c]!,
  );

export function shopperPage(status: number, title: string, message: string, backUrl?: string): Response {
  const back = backUrl ? `<p><a href="${escapeHtml(backUrl)}">Back to the store</a></p>` : "";
  const html = `<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title></head>
<body style="font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem;text-align:center">
<h1 style="color:#06c755;font-size:1.4rem">${escapeHtml(title)}</h1><p>${escapeHtml(message)}</p>${back}</body></html>`;
  return new Response(html, { status, headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" } });
}

export const LOGIN_ERROR_MESSAGES: Record<string, string> = {
  unknown: "This link is not valid. Please start again from your order page.",
  expired: "This link has expired. Please start again from your order page.",
  used: "This link was already used.",
};

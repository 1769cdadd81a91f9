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
  return page(status, title, `<p>${escapeHtml(message)}</p>`, backUrl);
}

/** A page asking the shopper to confirm with one POST button (hidden `fields` are posted back). */
export function shopperConfirmPage(p: {
  title: string;
  message: string;
  action: string;
  fields: Record<string, string>;
  button: string;
  backUrl?: string;
}): Response {
  const hidden = Object.entries(p.fields)
    .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
    .join("");
  const body = `<p>${escapeHtml(p.message)}</p><form method="post" action="${escapeHtml(p.action)}">${hidden}<button type="submit" style="background:#06c755;color:#fff;border:0;border-radius:6px;padding:.7rem 1.2rem;font-size:1rem">${escapeHtml(p.button)}</button></form>`;
  return page(200, p.title, body, p.backUrl);
}

function page(status: number, title: string, bodyHtml: string, backUrl?: string): Response {
  const back = backUrl ? `<p><a href="${escapeHtml(backUrl)}">Back to the store</a></p>` : "";
  const html = `<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title></head>
<body style="font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem;text-align:center">
<h1 style="color:#06c755;font-size:1.4rem">${escapeHtml(title)}</h1>${bodyHtml}${back}</body></html>`;
  return new Response(html, { status, headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" } });
}

export const LOGIN_ERROR_MESSAGES: Record<string, string> = {
  unknown: "This link is not valid. Please start again from your order page.",
  expired: "This link has expired. Please start again from your order page.",
  used: "This link was already used.",
};

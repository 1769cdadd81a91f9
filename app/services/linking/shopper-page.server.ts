// Tiny standalone pages shown to shoppers outside Shopify admin (LINE Login start/callback). No
// Polaris: they open in the shopper's browser or LINE's in-app browser.
const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

export function shopperPage(status: number, title: string, message: string, backUrl?: string): Response {
  const back = backUrl ? `<p><a href="${esc(backUrl)}">Back to the store</a></p>` : "";
  const html = `<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${esc(title)}</title></head>
<body style="font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem;text-align:center">
<h1 style="color:#06c755;font-size:1.4rem">${esc(title)}</h1><p>${esc(message)}</p>${back}</body></html>`;
  return new Response(html, { status, headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" } });
}

export const LOGIN_ERROR_MESSAGES: Record<string, string> = {
  unknown: "This link is not valid. Please start again from your order page.",
  expired: "This link has expired. Please start again from your order page.",
  used: "This link was already used.",
};

// Compose form → LINE message objects (pure; the admin preview uses it too).
export type ProductPick = { title: string; price?: string | null; imageUrl?: string | null; url: string };
export type ComposeBlock =
  | { kind: "text"; text: string }
  | { kind: "image"; imageUrl: string }
  | { kind: "product"; product: ProductPick }
  | { kind: "carousel"; products: ProductPick[] }
  | { kind: "coupon"; title: string; code: string; url: string };

function productBubble(p: ProductPick) {
  return {
    type: "bubble",
    ...(p.imageUrl ? { hero: { type: "image", url: p.imageUrl, size: "full", aspectRatio: "1:1", aspectMode: "cover" } } : {}),
    body: {
      type: "box",
      layout: "vertical",
      contents: [
        { type: "text", text: p.title.slice(0, 80) || "Product", weight: "bold", wrap: true },
        ...(p.price ? [{ type: "text", text: p.price, color: "#666666" }] : []),
      ],
    },
    footer: {
      type: "box",
      layout: "vertical",
      contents: [{ type: "button", style: "primary", action: { type: "uri", label: "Buy now", uri: p.url } }],
    },
  };
}

export function blockToMessage(b: ComposeBlock): Record<string, unknown> & { type: string } {
  switch (b.kind) {
    case "text":
      return { type: "text", text: b.text };
    case "image":
      return { type: "image", originalContentUrl: b.imageUrl, previewImageUrl: b.imageUrl };
    case "product":
      return { type: "flex", altText: b.product.title.slice(0, 400) || "Product", contents: productBubble(b.product) };
    case "carousel":
      return {
        type: "flex",
        altText: "Our picks for you",
        contents: { type: "carousel", contents: b.products.slice(0, 12).map(productBubble) },
      };
    case "coupon":
      return {
        type: "flex",
        altText: `Coupon: ${b.title}`.slice(0, 400),
        contents: {
          type: "bubble",
          body: {
            type: "box",
            layout: "vertical",
            contents: [
              { type: "text", text: b.title || "Coupon", weight: "bold", size: "lg", wrap: true },
              { type: "text", text: `Code: ${b.code}`, size: "xl", color: "#06c755" },
            ],
          },
          footer: {
            type: "box",
            layout: "vertical",
            contents: [{ type: "button", style: "primary", action: { type: "uri", label: "Use coupon", uri: b.url } }],
          },
        },
      };
  }
}

export function validateBlocks(blocks: ComposeBlock[]): string | null {
  if (!blocks.length) return "Add at least one message";
  if (blocks.length > 5) return "LINE allows at most 5 messages per send";
  for (const b of blocks) {
    if (b.kind === "text" && !b.text.trim()) return "Message text is empty";
    if (b.kind === "text" && b.text.length > 5000) return "Text is longer than 5,000 characters";
    if (b.kind === "image" && !/^https:\/\//.test(b.imageUrl)) return "Image URL must be https";
    if (b.kind === "coupon" && !b.code.trim()) return "Coupon code is required";
  }
  return null;
}

/** Plain-text summary of a message for the phone preview. */
export function previewLines(m: { type: string; [k: string]: unknown }): string {
  if (m.type === "text") return String(m.text);
  if (m.type === "image") return `[image] ${String(m.originalContentUrl)}`;
  if (m.type === "flex") return `[card] ${String(m.altText)}`;
  return `[${m.type}]`;
}

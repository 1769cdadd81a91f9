// Compose form → LINE message objects (pure; the admin preview uses it too).
import { z } from "zod";
import { truncateFor, truncateText } from "~/domain/line/text-limits";
import { checkMessages, isHttpUrl, type MessageProblemCode } from "./validate";

const ProductPickSchema = z.object({
  title: z.string(),
  price: z.string().nullish(),
  imageUrl: z.string().nullish(),
  url: z.string(),
});
export type ProductPick = z.infer<typeof ProductPickSchema>;

/** The composer's blocks as posted by the form (checked: the form field is client-controlled). */
export const ComposeBlocksSchema = z.array(
  z.discriminatedUnion("kind", [
    z.object({ kind: z.literal("text"), text: z.string() }),
    z.object({ kind: z.literal("image"), imageUrl: z.string() }),
    z.object({ kind: z.literal("product"), product: ProductPickSchema }),
    z.object({ kind: z.literal("carousel"), products: z.array(ProductPickSchema) }),
    z.object({ kind: z.literal("coupon"), title: z.string(), code: z.string(), url: z.string() }),
  ]),
);
export type ComposeBlock = z.infer<typeof ComposeBlocksSchema>[number];

function productBubble(p: ProductPick) {
  return {
    type: "bubble",
    ...(p.imageUrl ? { hero: { type: "image", url: p.imageUrl, size: "full", aspectRatio: "1:1", aspectMode: "cover" } } : {}),
    body: {
      type: "box",
      layout: "vertical",
      contents: [
        // 80 units keeps the card short; cut between characters, never inside one.
        { type: "text", text: truncateText(p.title, 80, "utf16") || "Product", weight: "bold", wrap: true },
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
      return { type: "flex", altText: truncateFor("flexAltText", b.product.title) || "Product", contents: productBubble(b.product) };
    case "carousel":
      return {
        type: "flex",
        altText: "Our picks for you",
        contents: { type: "carousel", contents: b.products.slice(0, 12).map(productBubble) },
      };
    case "coupon":
      return {
        type: "flex",
        altText: truncateFor("flexAltText", `Coupon: ${b.title}`),
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

/** A problem in the composer, tied to the block (0-based) and the field the merchant typed into. */
export type ComposeProblem = {
  block: number | null;
  field: "messages" | "text" | "imageUrl" | "couponCode" | "couponUrl" | "product";
  code: MessageProblemCode | "code_required";
  limit?: number;
};

const FIELD_OF_PATH: Array<[RegExp, ComposeProblem["field"]]> = [
  [/^text$/, "text"],
  [/^(originalContentUrl|previewImageUrl)$/, "imageUrl"],
];

/**
 * Everything LINE would refuse in the composed blocks, with the field to show it on. Checks the
 * merchant's inputs (coupon code, http(s) links) and then the LINE message objects the blocks become
 * (checkMessages: lengths, link schemes, image https), so the two never disagree.
 */
export function validateBlocks(blocks: ComposeBlock[]): ComposeProblem[] {
  if (!blocks.length) return [{ block: null, field: "messages", code: "no_messages" }];
  const out: ComposeProblem[] = [];
  blocks.forEach((b, i) => {
    if (b.kind === "coupon" && !b.code.trim()) out.push({ block: i, field: "couponCode", code: "code_required" });
    if (b.kind === "coupon" && !isHttpUrl(b.url)) out.push({ block: i, field: "couponUrl", code: "link_not_http" });
  });
  for (const p of checkMessages(blocks.map(blockToMessage))) {
    const b = p.message === null ? undefined : blocks[p.message];
    if (b?.kind === "coupon" && p.code === "link_not_http") continue; // reported on the coupon link above
    const field =
      b?.kind === "coupon" && p.path.endsWith(".uri")
        ? "couponUrl"
        : b?.kind === "product" || b?.kind === "carousel"
          ? "product"
          : (FIELD_OF_PATH.find(([re]) => re.test(p.path))?.[1] ?? "messages");
    if (!out.some((o) => o.block === p.message && o.field === field && o.code === p.code))
      out.push({ block: p.message, field, code: p.code, ...(p.limit !== undefined ? { limit: p.limit } : {}) });
  }
  return out;
}

/** Plain-text summary of a message for the phone preview. */
export function previewLines(m: { type: string; [k: string]: unknown }): string {
  if (m.type === "text") return String(m.text);
  if (m.type === "image") return `[image] ${String(m.originalContentUrl)}`;
  if (m.type === "flex") return `[card] ${String(m.altText)}`;
  return `[${m.type}]`;
}

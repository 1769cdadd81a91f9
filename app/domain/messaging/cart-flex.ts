// The abandoned-cart reminder as a LINE Flex message (pure). One bubble: heading, intro, up to
// MAX_ITEMS item rows (image when known, name, quantity, line price), the total in the cart's
// currency, and a "Complete your order" button opening the tracked recovery link.
// LINE's limits on the texts (altText, the button's label) come from app/domain/line/text-limits.ts;
// item names and the intro are kept short for the bubble's layout, not for a LINE limit.
import { formatMoney as formatShopMoney } from "~/domain/format/format";
import { truncateFor, truncateText } from "~/domain/line/text-limits";

export type CartLocale = "ja" | "zh-TW" | "th" | "en";
export const CART_LOCALES: readonly CartLocale[] = ["ja", "zh-TW", "th", "en"];

export interface CartItemForFlex {
  title: string;
  quantity: number;
  /** Unit price as a decimal string. */
  price: string;
  imageUrl?: string | null;
}

export interface CartForFlex {
  items: CartItemForFlex[];
  total: string;
  currency: string;
}

const TEXTS: Record<
  CartLocale,
  { heading: string; intro: string; button: string; total: string; more: (n: number) => string; alt: string }
> = {
  ja: {
    heading: "カートに商品が残っています",
    intro: "ご注文の手続きがまだ完了していません。",
    button: "注文を完了する",
    total: "合計",
    more: (n) => `ほか${n}点`,
    alt: "カートに商品が残っています",
  },
  "zh-TW": {
    heading: "您的購物車還有商品",
    intro: "您的訂單尚未完成。",
    button: "完成訂單",
    total: "總計",
    more: (n) => `還有 ${n} 件商品`,
    alt: "您的購物車還有商品",
  },
  th: {
    heading: "คุณมีสินค้าค้างอยู่ในตะกร้า",
    intro: "คำสั่งซื้อของคุณยังไม่เสร็จสมบูรณ์",
    button: "ทำคำสั่งซื้อให้เสร็จ",
    total: "ยอดรวม",
    more: (n) => `และอีก ${n} รายการ`,
    alt: "คุณมีสินค้าค้างอยู่ในตะกร้า",
  },
  en: {
    heading: "Complete your order",
    intro: "You left some items in your cart.",
    button: "Complete your order",
    total: "Total",
    more: (n) => `+${n} more`,
    alt: "Complete your order",
  },
};

const MAX_ITEMS = 5;

/** The friend's LINE language first, then the checkout's locale; unknown → fallback. */
export function pickCartLocale(candidates: ReadonlyArray<string | null | undefined>, fallback: CartLocale = "en"): CartLocale {
  for (const c of candidates) {
    if (!c) continue;
    const l = c.toLowerCase().replace("_", "-");
    if (l.startsWith("ja")) return "ja";
    if (l.startsWith("th")) return "th";
    if (l.startsWith("zh")) return "zh-TW"; // LINE markets: Taiwan / Hong Kong use traditional script
    if (l.startsWith("en")) return "en";
  }
  return fallback;
}

/** The customer's money as the admin shows it (domain/format): "NT$1,234", never an ambiguous bare "$1,234.00" for TWD. */
export function formatMoney(amount: string | number, currency: string, locale: CartLocale): string {
  const n = typeof amount === "number" ? amount : Number(amount);
  try {
    return formatShopMoney(n, { locale, currency, timeZone: "UTC" });
  } catch {
    return `${n.toFixed(2)} ${currency}`;
  }
}

const isHttps = (u: string | null | undefined): u is string => {
  if (!u || u.length > 2000) return false;
  try {
    return new URL(u).protocol === "https:";
  } catch {
    return false;
  }
};

/** At most `n` UTF-16 units, cut between characters, "…" when cut. */
const clip = (s: string, n: number) => truncateText(s, n, "utf16", "…");

/** The merchant's texts for this language; blank or absent = the built-in text. */
export interface CartFlexOptions {
  heading?: string | null;
  intro?: string | null;
  /** The button's label (LINE's Flex action label limit applies). */
  button?: string | null;
}

/** A LINE Flex message object (the shape the Messaging API accepts). */
export type FlexMessageObject = { type: "flex"; altText: string; contents: Record<string, unknown> };

export function buildCartReminderFlex(
  cart: CartForFlex,
  locale: CartLocale,
  recoveryUrl: string,
  opts: CartFlexOptions = {},
): FlexMessageObject {
  const builtIn = TEXTS[locale];
  const own = (s: string | null | undefined) => s?.trim() || undefined;
  // The merchant's heading is also what the chat list shows (altText).
  const t = {
    ...builtIn,
    heading: own(opts.heading) ?? builtIn.heading,
    intro: own(opts.intro) ?? builtIn.intro,
    button: own(opts.button) ?? builtIn.button,
    alt: own(opts.heading) ?? builtIn.alt,
  };
  const shown = cart.items.slice(0, MAX_ITEMS);
  const rows = shown.map((item) => {
    const lineTotal = Number(item.price) * item.quantity;
    const details = {
      type: "box",
      layout: "vertical",
      flex: 1,
      spacing: "xs",
      contents: [
        { type: "text", text: clip(item.title || "—", 80), size: "sm", weight: "bold", wrap: true, maxLines: 2 },
        { type: "text", text: `× ${item.quantity}`, size: "xs", color: "#888888" },
        { type: "text", text: formatMoney(lineTotal, cart.currency, locale), size: "sm", align: "end" },
      ],
    };
    const contents: unknown[] = isHttps(item.imageUrl)
      ? [{ type: "image", url: item.imageUrl, size: "xxs", aspectMode: "cover", aspectRatio: "1:1", flex: 0 }, details]
      : [details];
    return { type: "box", layout: "horizontal", spacing: "md", contents };
  });
  const extra = cart.items.length - shown.length;
  const body: unknown[] = [
    { type: "text", text: t.heading, weight: "bold", size: "lg", wrap: true },
    { type: "text", text: clip(t.intro, 500), size: "sm", color: "#555555", wrap: true },
    { type: "separator", margin: "md" },
    ...rows,
  ];
  if (extra > 0) body.push({ type: "text", text: t.more(extra), size: "xs", color: "#888888" });
  body.push(
    { type: "separator", margin: "md" },
    {
      type: "box",
      layout: "horizontal",
      contents: [
        { type: "text", text: t.total, weight: "bold", size: "md", flex: 1 },
        { type: "text", text: formatMoney(cart.total, cart.currency, locale), weight: "bold", size: "md", align: "end", flex: 2 },
      ],
    },
  );
  return {
    type: "flex",
    altText: truncateFor("flexAltText", `${t.alt} (${formatMoney(cart.total, cart.currency, locale)})`, "…"),
    contents: {
      type: "bubble",
      body: { type: "box", layout: "vertical", spacing: "md", contents: body },
      footer: {
        type: "box",
        layout: "vertical",
        contents: [
          {
            type: "button",
            style: "primary",
            action: { type: "uri", label: truncateFor("flexActionLabel", t.button, "…"), uri: recoveryUrl },
          },
        ],
      },
    },
  };
}

// Plain-language summary of a definition for the editor's preview panel (isomorphic: no server imports).
import type { Condition, NumericOp, NumericValue, SegmentDefinition } from "./schema";

const quote = (s: string) => `“${s}”`;
const list = (xs: string[], joiner: string) =>
  xs.length <= 1 ? xs.map(quote).join("") : `${xs.slice(0, -1).map(quote).join(", ")} ${joiner} ${quote(xs[xs.length - 1]!)}`;

function num(op: NumericOp, v: NumericValue, unit = ""): string {
  const u = (n: number) => `${n}${unit}`;
  switch (op) {
    case "eq":
      return `exactly ${u(v as number)}`;
    case "gt":
      return `more than ${u(v as number)}`;
    case "gte":
      return `at least ${u(v as number)}`;
    case "lt":
      return `less than ${u(v as number)}`;
    case "lte":
      return `at most ${u(v as number)}`;
    case "between":
      return `between ${u((v as [number, number])[0])} and ${u((v as [number, number])[1])}`;
  }
}

const within = (d?: number) => (d === undefined ? "" : ` in the last ${d} day${d === 1 ? "" : "s"}`);
const times = (op: NumericOp, v: NumericValue) => `${num(op, v)} time${v === 1 && op !== "between" ? "" : "s"}`;

export function summarizeCondition(c: Condition): string {
  switch (c.field) {
    case "friendAddedAt":
      if (c.op === "withinLastDays") return `became a friend in the last ${c.value} day${c.value === 1 ? "" : "s"}`;
      if (c.op === "before") return `became a friend before ${c.value}`;
      if (c.op === "after") return `became a friend after ${c.value}`;
      return `became a friend between ${c.value[0]} and ${c.value[1]}`;
    case "tag":
      if (c.op === "has") return `has tag ${quote(c.value)}`;
      if (c.op === "hasNot") return `does not have tag ${quote(c.value)}`;
      if (c.op === "hasAny") return `has tag ${list(c.value as string[], "or")}`;
      return `has none of the tags ${list(c.value as string[], "or")}`;
    case "shopifyLinked":
      return c.value ? "is linked to a Shopify customer" : "is not linked to a Shopify customer";
    case "marketingConsent":
      return c.value ? "accepts marketing messages" : "opted out of marketing messages";
    case "following":
      return c.value ? "is following (not blocked)" : "has blocked the account";
    case "hasPurchased":
      return c.value ? "has purchased" : "has never purchased";
    case "shopifyTag":
      return c.op === "hasAny"
        ? `customer tagged ${list(c.value, "or")} in Shopify`
        : `customer not tagged ${list(c.value, "or")} in Shopify`;
    case "purchaseCount":
      return `purchased ${times(c.op, c.value)}`;
    case "amountSpent":
      return `spent ${num(c.op, c.value)} in total`;
    case "daysSinceLastPurchase":
      return `last purchase ${num(c.op, c.value, " days")} ago`;
    case "abandonedCart": {
      const hours =
        c.minHours !== undefined && c.maxHours !== undefined
          ? ` ${c.minHours}–${c.maxHours} hours ago`
          : c.minHours !== undefined
            ? ` at least ${c.minHours} hours ago`
            : c.maxHours !== undefined
              ? ` at most ${c.maxHours} hours ago`
              : "";
      return c.value ? `abandoned a cart${hours}` : `has no abandoned cart${hours}`;
    }
    case "productPurchased":
      return `${c.op === "hasAny" ? "bought" : "did not buy"} product ${list(c.value, "or")}${within(c.withinDays)}`;
    case "linkClicked": {
      const which =
        c.linkId !== undefined ? ` link #${c.linkId}` : c.linkTag !== undefined ? ` a ${quote(c.linkTag)} link` : " a tracked link";
      return `clicked${which} ${times(c.op, c.value)}${within(c.withinDays)}`;
    }
    case "richMenuTapped": {
      const which = [
        c.richMenuId !== undefined ? `menu #${c.richMenuId}` : "the rich menu",
        c.area !== undefined ? `area ${quote(c.area)}` : "",
      ]
        .filter(Boolean)
        .join(" ");
      return `tapped ${which} ${times(c.op, c.value)}${within(c.withinDays)}`;
    }
  }
}

/** "Anyone who (A and B) or (C)": each condition reads as said of one friend ("has tag …"). */
export function summarizeDefinition(def: SegmentDefinition): string {
  if (def.groups.length === 0) return "All friends";
  const groups = def.groups.map((g) => g.conditions.map(summarizeCondition).join(" and "));
  if (groups.length === 1) return `Anyone who ${groups[0]}`;
  return `Anyone who ${groups.map((g) => `(${g})`).join(" or ")}`;
}

// ---------------------------------------------------------------------------------------------
// The same summaries in the admin's other languages (ja, zh-TW, th). English is the functions above.

/** Languages a summary can be written in: the admin's languages (docs/i18n.md). */
export type SummaryLocale = "en" | "ja" | "zh-TW" | "th";

type Num = (op: NumericOp, v: NumericValue, unit: string) => string;

interface LocaleText {
  num: Num;
  quote: (s: string) => string;
  and: string;
  or: string;
  all: string;
  friendsWho: (body: string) => string;
  cond: (c: Condition) => string;
}

const range = (v: NumericValue) => v as [number, number];

const JA_NUM: Num = (op, v, u) =>
  ({
    eq: `ちょうど${v}${u}`,
    gt: `${v}${u}超`,
    gte: `${v}${u}以上`,
    lt: `${v}${u}未満`,
    lte: `${v}${u}以下`,
    between: `${range(v)[0]}〜${range(v)[1]}${u}`,
  })[op];
const ZH_NUM: Num = (op, v, u) =>
  ({
    eq: `剛好 ${v}${u}`,
    gt: `超過 ${v}${u}`,
    gte: `${v}${u}以上`,
    lt: `少於 ${v}${u}`,
    lte: `${v}${u}以下`,
    between: `${range(v)[0]}～${range(v)[1]}${u}`,
  })[op];
const TH_NUM: Num = (op, v, u) =>
  ({
    eq: `${v} ${u}พอดี`,
    gt: `มากกว่า ${v} ${u}`,
    gte: `${v} ${u}ขึ้นไป`,
    lt: `น้อยกว่า ${v} ${u}`,
    lte: `ไม่เกิน ${v} ${u}`,
    between: `${range(v)[0]}–${range(v)[1]} ${u}`,
  })[op];

function hoursText(c: { minHours?: number; maxHours?: number }, min: (n: number) => string, max: (n: number) => string, sep: string) {
  return [c.minHours !== undefined ? min(c.minHours) : "", c.maxHours !== undefined ? max(c.maxHours) : ""].filter(Boolean).join(sep);
}

const JA: LocaleText = {
  num: JA_NUM,
  quote: (s) => `「${s}」`,
  and: "かつ",
  or: "または",
  all: "すべての友だち",
  friendsWho: (b) => `${b}友だち`,
  cond(c) {
    const q = this.quote;
    const within = (d?: number) => (d === undefined ? "" : `過去${d}日間に`);
    switch (c.field) {
      case "friendAddedAt":
        if (c.op === "withinLastDays") return `過去${c.value}日以内に友だち追加した`;
        if (c.op === "before") return `${c.value}より前に友だち追加した`;
        if (c.op === "after") return `${c.value}より後に友だち追加した`;
        return `${c.value[0]}〜${c.value[1]}に友だち追加した`;
      case "tag": {
        const names = (Array.isArray(c.value) ? c.value : [c.value]).map(q).join("・");
        return c.op === "has" || c.op === "hasAny" ? `タグ${names}が付いた` : `タグ${names}が付いていない`;
      }
      case "shopifyTag":
        return `Shopify顧客タグ${c.value.map(q).join("・")}${c.op === "hasAny" ? "が付いた" : "が付いていない"}`;
      case "shopifyLinked":
        return c.value ? "Shopify顧客と連携済みの" : "Shopify顧客と未連携の";
      case "marketingConsent":
        return c.value ? "配信を許可している" : "配信を停止した";
      case "following":
        return c.value ? "ブロックしていない" : "ブロックした";
      case "hasPurchased":
        return c.value ? "購入したことがある" : "一度も購入していない";
      case "purchaseCount":
        return `購入回数が${JA_NUM(c.op, c.value, "回")}の`;
      case "amountSpent":
        return `累計購入金額が${JA_NUM(c.op, c.value, "")}の`;
      case "daysSinceLastPurchase":
        return `最終購入から${JA_NUM(c.op, c.value, "日")}経過した`;
      case "abandonedCart": {
        const h = hoursText(
          c,
          (n) => `${n}時間以上前`,
          (n) => `${n}時間以内`,
          "・",
        );
        return c.value ? `${h ? `${h}に` : ""}カゴ落ちした` : `${h ? `${h}に` : ""}カゴ落ちしていない`;
      }
      case "productPurchased":
        return `${within(c.withinDays)}商品${c.value.map(q).join("・")}を${c.op === "hasAny" ? "購入した" : "購入していない"}`;
      case "linkClicked":
        return `${within(c.withinDays)}${c.linkTag ? `${q(c.linkTag)}の` : ""}リンクを${JA_NUM(c.op, c.value, "回")}クリックした`;
      case "richMenuTapped":
        return `${within(c.withinDays)}リッチメニュー${c.area ? q(c.area) : ""}を${JA_NUM(c.op, c.value, "回")}タップした`;
    }
  },
};

const ZH: LocaleText = {
  num: ZH_NUM,
  quote: (s) => `「${s}」`,
  and: "且",
  or: "或",
  all: "所有好友",
  friendsWho: (b) => `${b}的好友`,
  cond(c) {
    const q = this.quote;
    const within = (d?: number) => (d === undefined ? "" : `最近 ${d} 天內`);
    switch (c.field) {
      case "friendAddedAt":
        if (c.op === "withinLastDays") return `最近 ${c.value} 天內加入好友`;
        if (c.op === "before") return `在 ${c.value} 之前加入好友`;
        if (c.op === "after") return `在 ${c.value} 之後加入好友`;
        return `在 ${c.value[0]}～${c.value[1]} 加入好友`;
      case "tag": {
        const names = (Array.isArray(c.value) ? c.value : [c.value]).map(q).join("、");
        return c.op === "has" || c.op === "hasAny" ? `有標籤${names}` : `沒有標籤${names}`;
      }
      case "shopifyTag":
        return `${c.op === "hasAny" ? "有" : "沒有"} Shopify 顧客標籤${c.value.map(q).join("、")}`;
      case "shopifyLinked":
        return c.value ? "已綁定 Shopify 顧客" : "未綁定 Shopify 顧客";
      case "marketingConsent":
        return c.value ? "同意接收行銷訊息" : "已拒收行銷訊息";
      case "following":
        return c.value ? "未封鎖" : "已封鎖";
      case "hasPurchased":
        return c.value ? "購買過" : "從未購買";
      case "purchaseCount":
        return `購買次數${ZH_NUM(c.op, c.value, " 次")}`;
      case "amountSpent":
        return `累計消費${ZH_NUM(c.op, c.value, "")}`;
      case "daysSinceLastPurchase":
        return `距上次購買${ZH_NUM(c.op, c.value, " 天")}`;
      case "abandonedCart": {
        const h = hoursText(
          c,
          (n) => `至少 ${n} 小時前`,
          (n) => `${n} 小時內`,
          "、",
        );
        return c.value ? `${h}有放棄的購物車` : `${h}沒有放棄的購物車`;
      }
      case "productPurchased":
        return `${within(c.withinDays)}${c.op === "hasAny" ? "購買過" : "沒買過"}商品${c.value.map(q).join("、")}`;
      case "linkClicked":
        return `${within(c.withinDays)}點擊${c.linkTag ? q(c.linkTag) : ""}連結${ZH_NUM(c.op, c.value, " 次")}`;
      case "richMenuTapped":
        return `${within(c.withinDays)}點選圖文選單${c.area ? q(c.area) : ""}${ZH_NUM(c.op, c.value, " 次")}`;
    }
  },
};

const TH: LocaleText = {
  num: TH_NUM,
  quote: (s) => `“${s}”`,
  and: "และ",
  or: "หรือ",
  all: "เพื่อนทั้งหมด",
  friendsWho: (b) => `เพื่อนที่${b}`,
  cond(c) {
    const q = this.quote;
    const within = (d?: number) => (d === undefined ? "" : ` ภายใน ${d} วันที่ผ่านมา`);
    switch (c.field) {
      case "friendAddedAt":
        if (c.op === "withinLastDays") return `เพิ่มเพื่อนภายใน ${c.value} วันที่ผ่านมา`;
        if (c.op === "before") return `เพิ่มเพื่อนก่อน ${c.value}`;
        if (c.op === "after") return `เพิ่มเพื่อนหลัง ${c.value}`;
        return `เพิ่มเพื่อนระหว่าง ${c.value[0]} ถึง ${c.value[1]}`;
      case "tag": {
        const names = (Array.isArray(c.value) ? c.value : [c.value]).map(q).join(", ");
        return c.op === "has" || c.op === "hasAny" ? `มีแท็ก ${names}` : `ไม่มีแท็ก ${names}`;
      }
      case "shopifyTag":
        return `${c.op === "hasAny" ? "มี" : "ไม่มี"}แท็กลูกค้า Shopify ${c.value.map(q).join(", ")}`;
      case "shopifyLinked":
        return c.value ? "เชื่อมบัญชีกับลูกค้า Shopify แล้ว" : "ยังไม่ได้เชื่อมบัญชีกับลูกค้า Shopify";
      case "marketingConsent":
        return c.value ? "ยินยอมรับข่าวสารการตลาด" : "ยกเลิกรับข่าวสารการตลาด";
      case "following":
        return c.value ? "ไม่ได้บล็อก" : "บล็อกบัญชีแล้ว";
      case "hasPurchased":
        return c.value ? "เคยซื้อ" : "ไม่เคยซื้อ";
      case "purchaseCount":
        return `ซื้อ ${TH_NUM(c.op, c.value, "ครั้ง")}`;
      case "amountSpent":
        return `ยอดซื้อสะสม ${TH_NUM(c.op, c.value, "")}`;
      case "daysSinceLastPurchase":
        return `ซื้อครั้งล่าสุดเมื่อ ${TH_NUM(c.op, c.value, "วัน")}ก่อน`;
      case "abandonedCart": {
        const h = hoursText(
          c,
          (n) => `อย่างน้อย ${n} ชั่วโมงก่อน`,
          (n) => `ภายใน ${n} ชั่วโมง`,
          " ",
        );
        return c.value ? `มีตะกร้าค้าง${h ? ` ${h}` : ""}` : `ไม่มีตะกร้าค้าง${h ? ` ${h}` : ""}`;
      }
      case "productPurchased":
        return `${c.op === "hasAny" ? "เคยซื้อ" : "ไม่เคยซื้อ"}สินค้า ${c.value.map(q).join(", ")}${within(c.withinDays)}`;
      case "linkClicked":
        return `คลิกลิงก์${c.linkTag ? ` ${q(c.linkTag)}` : ""} ${TH_NUM(c.op, c.value, "ครั้ง")}${within(c.withinDays)}`;
      case "richMenuTapped":
        return `แตะริชเมนู${c.area ? ` ${q(c.area)}` : ""} ${TH_NUM(c.op, c.value, "ครั้ง")}${within(c.withinDays)}`;
    }
  },
};

const TEXTS: Record<Exclude<SummaryLocale, "en">, LocaleText> = { ja: JA, "zh-TW": ZH, th: TH };

/**
 * One condition in the merchant's language. Product ids are shown by title when `productTitles`
 * knows them.
 */
export function describeCondition(c: Condition, locale: SummaryLocale, productTitles: Map<string, string> = new Map()): string {
  const shown = c.field === "productPurchased" ? ({ ...c, value: c.value.map((id) => productTitles.get(id) ?? id) } as Condition) : c;
  return locale === "en" ? summarizeCondition(shown) : TEXTS[locale].cond(shown);
}

/** "Anyone who (A and B) or (C)" in the merchant's language. */
export function describeDefinition(def: SegmentDefinition, locale: SummaryLocale, productTitles: Map<string, string> = new Map()): string {
  const withTitles: SegmentDefinition = {
    ...def,
    groups: def.groups.map((g) => ({
      conditions: g.conditions.map((c) =>
        c.field === "productPurchased" ? ({ ...c, value: c.value.map((id) => productTitles.get(id) ?? id) } as Condition) : c,
      ),
    })),
  };
  if (locale === "en") return summarizeDefinition(withTitles);
  const t = TEXTS[locale];
  if (def.groups.length === 0) return t.all;
  const groups = withTitles.groups.map((g) => g.conditions.map((c) => t.cond(c)).join(` ${t.and} `));
  if (groups.length === 1) return t.friendsWho(groups[0]!);
  return t.friendsWho(groups.map((g) => `(${g})`).join(` ${t.or} `));
}

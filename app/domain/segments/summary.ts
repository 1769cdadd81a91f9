// Plain-language summary of a definition for the editor's preview panel (isomorphic: no server imports).
import type { Condition, NumericOp, NumericValue, PropertyCondition, SegmentDefinition } from "./schema";
import type { IntegrationNames } from "../integrations/segment-choices";

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
const PROVIDER_NAME = { hubspot: "HubSpot", klaviyo: "Klaviyo" } as const;
const providerName = (field: string) => (field.startsWith("hubspot") ? PROVIDER_NAME.hubspot : PROVIDER_NAME.klaviyo);

/** What a property op says, per language (the property and provider are put in front by the caller). */
interface PropertyWords {
  is: (v: string) => string;
  isNot: (v: string) => string;
  contains: (v: string) => string;
  notContains: (v: string) => string;
  isKnown: string;
  isUnknown: string;
  hasAny: (vs: string[]) => string;
  hasNone: (vs: string[]) => string;
  num: (op: NumericOp, v: NumericValue) => string;
  withinLastDays: (n: number) => string;
  before: (d: string) => string;
  after: (d: string) => string;
  between: (a: string, b: string) => string;
}

function propertyTestText(c: PropertyCondition, w: PropertyWords): string {
  switch (c.op) {
    case "is":
      return w.is(String(c.value));
    case "isNot":
      return w.isNot(String(c.value));
    case "contains":
      return w.contains(c.value);
    case "notContains":
      return w.notContains(c.value);
    case "isKnown":
      return w.isKnown;
    case "isUnknown":
      return w.isUnknown;
    case "hasAny":
      return w.hasAny(c.value);
    case "hasNone":
      return w.hasNone(c.value);
    case "withinLastDays":
      return w.withinLastDays(c.value);
    case "before":
      return w.before(c.value);
    case "after":
      return w.after(c.value);
    case "between":
      return typeof c.value[0] === "number"
        ? w.num("between", c.value as [number, number])
        : w.between(String(c.value[0]), String(c.value[1]));
    default:
      return w.num(c.op, c.value);
  }
}

const EN_PROPERTY: PropertyWords = {
  is: (v) => `is ${quote(v)}`,
  isNot: (v) => `is not ${quote(v)}`,
  contains: (v) => `contains ${quote(v)}`,
  notContains: (v) => `does not contain ${quote(v)}`,
  isKnown: "is known",
  isUnknown: "is unknown",
  hasAny: (vs) => `is ${list(vs, "or")}`,
  hasNone: (vs) => `is none of ${list(vs, "or")}`,
  num: (op, v) => `is ${num(op, v)}`,
  withinLastDays: (n) => `is in the last ${n} day${n === 1 ? "" : "s"}`,
  before: (d) => `is before ${d}`,
  after: (d) => `is after ${d}`,
  between: (a, b) => `is between ${a} and ${b}`,
};
const times = (op: NumericOp, v: NumericValue) => `${num(op, v)} time${v === 1 && op !== "between" ? "" : "s"}`;

function summarizeCondition(c: Condition): string {
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
    case "hubspotLinked":
      return c.value ? "is linked to a HubSpot contact" : "is not linked to a HubSpot contact";
    case "klaviyoLinked":
      return c.value ? "is linked to a Klaviyo profile" : "is not linked to a Klaviyo profile";
    case "hubspotList":
    case "klaviyoList":
      return c.op === "hasAny"
        ? `is in ${providerName(c.field)} list ${list(c.value, "or")}`
        : `is in none of the ${providerName(c.field)} lists ${list(c.value, "or")}`;
    case "hubspotProperty":
    case "klaviyoProperty":
      return `has ${providerName(c.field)} ${quote(c.property)} that ${propertyTestText(c, EN_PROPERTY)}`;
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
      case "hubspotLinked":
        return c.value ? "HubSpotコンタクトと連携済みの" : "HubSpotコンタクトと未連携の";
      case "klaviyoLinked":
        return c.value ? "Klaviyoプロフィールと連携済みの" : "Klaviyoプロフィールと未連携の";
      case "hubspotList":
      case "klaviyoList":
        return `${providerName(c.field)}リスト${c.value.map(q).join("・")}に${c.op === "hasAny" ? "含まれる" : "含まれない"}`;
      case "hubspotProperty":
      case "klaviyoProperty":
        return `${providerName(c.field)}の${q(c.property)}が${propertyTestText(c, {
          is: (v) => `${q(v)}である`,
          isNot: (v) => `${q(v)}でない`,
          contains: (v) => `${q(v)}を含む`,
          notContains: (v) => `${q(v)}を含まない`,
          isKnown: "設定されている",
          isUnknown: "未設定の",
          hasAny: (vs) => `${vs.map(q).join("・")}のいずれかである`,
          hasNone: (vs) => `${vs.map(q).join("・")}のいずれでもない`,
          num: (op, v) => `${JA_NUM(op, v, "")}の`,
          withinLastDays: (n) => `過去${n}日以内の`,
          before: (d) => `${d}より前の`,
          after: (d) => `${d}より後の`,
          between: (a, b) => `${a}〜${b}の`,
        })}`;
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
      case "hubspotLinked":
        return c.value ? "已連結 HubSpot 聯絡人" : "未連結 HubSpot 聯絡人";
      case "klaviyoLinked":
        return c.value ? "已連結 Klaviyo 設定檔" : "未連結 Klaviyo 設定檔";
      case "hubspotList":
      case "klaviyoList":
        return `${c.op === "hasAny" ? "在" : "不在"} ${providerName(c.field)} 名單${c.value.map(q).join("、")}中`;
      case "hubspotProperty":
      case "klaviyoProperty":
        return `${providerName(c.field)}${q(c.property)}${propertyTestText(c, {
          is: (v) => `為${q(v)}`,
          isNot: (v) => `不是${q(v)}`,
          contains: (v) => `包含${q(v)}`,
          notContains: (v) => `不包含${q(v)}`,
          isKnown: "已設定",
          isUnknown: "未設定",
          hasAny: (vs) => `為${vs.map(q).join("、")}其中之一`,
          hasNone: (vs) => `不是${vs.map(q).join("、")}中任何一個`,
          num: (op, v) => ZH_NUM(op, v, ""),
          withinLastDays: (n) => `在最近 ${n} 天內`,
          before: (d) => `在 ${d} 之前`,
          after: (d) => `在 ${d} 之後`,
          between: (a, b) => `在 ${a}～${b}`,
        })}`;
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
      case "hubspotLinked":
        return c.value ? "เชื่อมกับผู้ติดต่อ HubSpot แล้ว" : "ยังไม่ได้เชื่อมกับผู้ติดต่อ HubSpot";
      case "klaviyoLinked":
        return c.value ? "เชื่อมกับโปรไฟล์ Klaviyo แล้ว" : "ยังไม่ได้เชื่อมกับโปรไฟล์ Klaviyo";
      case "hubspotList":
      case "klaviyoList":
        return `${c.op === "hasAny" ? "อยู่ใน" : "ไม่อยู่ใน"}รายชื่อ ${providerName(c.field)} ${c.value.map(q).join(", ")}`;
      case "hubspotProperty":
      case "klaviyoProperty":
        return `${providerName(c.field)} ${q(c.property)} ${propertyTestText(c, {
          is: (v) => `เป็น ${q(v)}`,
          isNot: (v) => `ไม่ใช่ ${q(v)}`,
          contains: (v) => `มี ${q(v)}`,
          notContains: (v) => `ไม่มี ${q(v)}`,
          isKnown: "มีค่า",
          isUnknown: "ไม่มีค่า",
          hasAny: (vs) => `เป็น ${vs.map(q).join(", ")} อย่างใดอย่างหนึ่ง`,
          hasNone: (vs) => `ไม่ใช่ ${vs.map(q).join(", ")}`,
          num: (op, v) => TH_NUM(op, v, ""),
          withinLastDays: (n) => `ภายใน ${n} วันที่ผ่านมา`,
          before: (d) => `ก่อน ${d}`,
          after: (d) => `หลัง ${d}`,
          between: (a, b) => `ระหว่าง ${a} ถึง ${b}`,
        })}`;
    }
  },
};

const TEXTS: Record<Exclude<SummaryLocale, "en">, LocaleText> = { ja: JA, "zh-TW": ZH, th: TH };

/**
 * Names the merchant knows instead of ids, all optional: product titles by product id; HubSpot /
 * Klaviyo list names by `${provider}:${externalId}`; property labels by `${provider}:${name}` with
 * their enumeration option labels by value (IntegrationList / IntegrationProperty).
 */
export interface SummaryNames extends Partial<IntegrationNames> {
  productTitles?: Map<string, string>;
}

/** The condition with ids replaced by names (for display only). */
function named(c: Condition, names: SummaryNames): Condition {
  switch (c.field) {
    case "productPurchased":
      return { ...c, value: c.value.map((id) => names.productTitles?.get(id) ?? id) };
    case "hubspotList":
    case "klaviyoList": {
      const provider = c.field === "hubspotList" ? "hubspot" : "klaviyo";
      return { ...c, value: c.value.map((id) => names.lists?.get(`${provider}:${id}`) ?? id) };
    }
    case "hubspotProperty":
    case "klaviyoProperty": {
      const meta = names.properties?.get(`${c.field === "hubspotProperty" ? "hubspot" : "klaviyo"}:${c.property}`);
      if (!meta) return c;
      const option = (v: string) => meta.options?.get(v) ?? v;
      const out = { ...c, property: meta.label } as PropertyCondition;
      if ((out.op === "hasAny" || out.op === "hasNone") && Array.isArray(out.value)) out.value = out.value.map(option);
      if ((out.op === "is" || out.op === "isNot") && typeof out.value === "string") out.value = option(out.value);
      return out;
    }
    default:
      return c;
  }
}

/** Older callers pass the product titles alone. */
const asNames = (n: SummaryNames | Map<string, string>): SummaryNames => (n instanceof Map ? { productTitles: n } : n);

/** One condition in the merchant's language, with names from `names` where known. */
export function describeCondition(c: Condition, locale: SummaryLocale, names: SummaryNames | Map<string, string> = {}): string {
  const shown = named(c, asNames(names));
  return locale === "en" ? summarizeCondition(shown) : TEXTS[locale].cond(shown);
}

/** "Anyone who (A and B) or (C)" in the merchant's language. */
export function describeDefinition(def: SegmentDefinition, locale: SummaryLocale, names: SummaryNames | Map<string, string> = {}): string {
  const n = asNames(names);
  const withNames: SegmentDefinition = { ...def, groups: def.groups.map((g) => ({ conditions: g.conditions.map((c) => named(c, n)) })) };
  if (locale === "en") return summarizeDefinition(withNames);
  const t = TEXTS[locale];
  if (def.groups.length === 0) return t.all;
  const groups = withNames.groups.map((g) => g.conditions.map((c) => t.cond(c)).join(` ${t.and} `));
  if (groups.length === 1) return t.friendsWho(groups[0]!);
  return t.friendsWho(groups.map((g) => `(${g})`).join(` ${t.or} `));
}

// What the assistant says, in the merchant's language: condition summaries, clarifying
// questions, stated defaults and suggested names. English condition wording is the editor's own
// (app/domain/segments/summary.ts) so the two never disagree. Kept as plain tables keyed by
// locale so they can move into i18next resources unchanged.
import type { Condition, NumericOp, NumericValue, SegmentDefinition } from "~/domain/segments/schema";
import { summarizeCondition, summarizeDefinition } from "~/domain/segments/summary";

const ASSISTANT_LOCALES = ["en", "ja", "zh-TW", "th"] as const;
export type AssistantLocale = (typeof ASSISTANT_LOCALES)[number];

export function isAssistantLocale(s: unknown): s is AssistantLocale {
  return typeof s === "string" && (ASSISTANT_LOCALES as readonly string[]).includes(s);
}

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

const TEXTS: Record<Exclude<AssistantLocale, "en">, LocaleText> = { ja: JA, "zh-TW": ZH, th: TH };

/**
 * One condition in the merchant's language. Product ids are shown by title when `productTitles`
 * knows them.
 */
export function describeCondition(c: Condition, locale: AssistantLocale, productTitles: Map<string, string> = new Map()): string {
  const shown = c.field === "productPurchased" ? ({ ...c, value: c.value.map((id) => productTitles.get(id) ?? id) } as Condition) : c;
  return locale === "en" ? summarizeCondition(shown) : TEXTS[locale].cond(shown);
}

/** "Friends who (A and B) or (C)" in the merchant's language. */
export function describeDefinition(
  def: SegmentDefinition,
  locale: AssistantLocale,
  productTitles: Map<string, string> = new Map(),
): string {
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

/** Keys of the choices the planner may ask about (Consult mode) or fill with a default (Auto). */
export type AmbiguityKey = "repeat" | "lapsed" | "recentBuyer" | "newFriend" | "vipAmount";

const DAYS = { en: "days", ja: "日", "zh-TW": "天", th: "วัน" } as const;

/** The clarifying question for an ambiguity, with its options as they will be shown. */
export function questionText(key: AmbiguityKey, phrase: string, options: number[], locale: AssistantLocale): string {
  // Japanese and Chinese lists have no spaces ("2回以上と3回以上", "30 天、60 天、90 天").
  const spaced = locale === "en" || locale === "th";
  const list = (fmt: (n: number) => string, or: string) => {
    const items = options.map(fmt);
    if (!spaced) return or === "、" ? items.join("、") : `${items.slice(0, -1).join("、")}${or}${items[items.length - 1]}`;
    return items.length === 2 ? `${items[0]} ${or} ${items[1]}` : `${items.slice(0, -1).join(", ")} ${or} ${items[items.length - 1]}`;
  };
  const d = DAYS[locale];
  switch (locale) {
    case "en":
      return {
        repeat: `By “${phrase}”, do you mean ${list((n) => `${n}+`, "or")} purchases?`,
        lapsed: `How long without a purchase counts as “${phrase}”: ${list((n) => `${n}`, "or")} days?`,
        recentBuyer: `How recent is “${phrase}”: bought in the last ${list((n) => `${n}`, "or")} days?`,
        newFriend: `How new is “${phrase}”: became a friend in the last ${list((n) => `${n}`, "or")} days?`,
        vipAmount: `Who counts as a VIP: total spend of at least ${list((n) => `${n}`, "or")}?`,
      }[key];
    case "ja":
      return {
        repeat: `「${phrase}」は購入回数${list((n) => `${n}回以上`, "と")}のどちらですか？`,
        lapsed: `「${phrase}」は最終購入から何日経過した人ですか？（${list((n) => `${n}${d}`, "/")}）`,
        recentBuyer: `「${phrase}」は過去何日以内に購入した人ですか？（${list((n) => `${n}${d}`, "/")}）`,
        newFriend: `「${phrase}」は友だち追加から何日以内ですか？（${list((n) => `${n}${d}`, "/")}）`,
        vipAmount: `VIPの基準となる累計購入金額はいくらですか？（${list((n) => `${n}以上`, "/")}）`,
      }[key];
    case "zh-TW":
      return {
        repeat: `「${phrase}」是指購買 ${list((n) => `${n} 次以上`, "還是")}？`,
        lapsed: `「${phrase}」是指多久沒有購買：${list((n) => `${n} ${d}`, "、")}？`,
        recentBuyer: `「${phrase}」是指最近幾天內購買：${list((n) => `${n} ${d}`, "、")}？`,
        newFriend: `「${phrase}」是指幾天內加入好友：${list((n) => `${n} ${d}`, "、")}？`,
        vipAmount: `VIP 的累計消費門檻是多少：${list((n) => `${n} 以上`, "、")}？`,
      }[key];
    case "th":
      return {
        repeat: `“${phrase}” หมายถึงซื้อ ${list((n) => `${n} ครั้งขึ้นไป`, "หรือ")}?`,
        lapsed: `“${phrase}” หมายถึงไม่ได้ซื้อมานานเท่าไร: ${list((n) => `${n} ${d}`, "หรือ")}?`,
        recentBuyer: `“${phrase}” หมายถึงซื้อภายในกี่วัน: ${list((n) => `${n} ${d}`, "หรือ")}?`,
        newFriend: `“${phrase}” หมายถึงเพิ่มเพื่อนภายในกี่วัน: ${list((n) => `${n} ${d}`, "หรือ")}?`,
        vipAmount: `ลูกค้า VIP คือผู้ที่มียอดซื้อสะสมตั้งแต่เท่าไร: ${list((n) => `${n}`, "หรือ")}?`,
      }[key];
  }
}

/** The stated default used in Auto mode. */
export function defaultText(
  key: AmbiguityKey | "dormant" | "newFriendDefault",
  phrase: string,
  value: number,
  locale: AssistantLocale,
): string {
  switch (locale) {
    case "en":
      return {
        repeat: `“${phrase}” taken as ${value} or more purchases`,
        lapsed: `“${phrase}” taken as no purchase in the last ${value} days (bought before)`,
        recentBuyer: `“${phrase}” taken as bought in the last ${value} days`,
        newFriend: `“${phrase}” taken as became a friend in the last ${value} days`,
        newFriendDefault: `“${phrase}” taken as became a friend in the last ${value} days`,
        vipAmount: `“${phrase}” taken as a total spend of at least ${value}`,
        dormant: `“${phrase}” taken as last purchase ${value} or more days ago`,
      }[key];
    case "ja":
      return {
        repeat: `「${phrase}」を購入${value}回以上としました`,
        lapsed: `「${phrase}」を過去${value}日間購入なし（購入経験あり）としました`,
        recentBuyer: `「${phrase}」を過去${value}日以内に購入としました`,
        newFriend: `「${phrase}」を友だち追加から${value}日以内としました`,
        newFriendDefault: `「${phrase}」を友だち追加から${value}日以内としました`,
        vipAmount: `「${phrase}」を累計購入金額${value}以上としました`,
        dormant: `「${phrase}」を最終購入から${value}日以上としました`,
      }[key];
    case "zh-TW":
      return {
        repeat: `將「${phrase}」視為購買 ${value} 次以上`,
        lapsed: `將「${phrase}」視為最近 ${value} 天內沒有購買（曾購買過）`,
        recentBuyer: `將「${phrase}」視為最近 ${value} 天內購買`,
        newFriend: `將「${phrase}」視為 ${value} 天內加入好友`,
        newFriendDefault: `將「${phrase}」視為 ${value} 天內加入好友`,
        vipAmount: `將「${phrase}」視為累計消費 ${value} 以上`,
        dormant: `將「${phrase}」視為距上次購買 ${value} 天以上`,
      }[key];
    case "th":
      return {
        repeat: `ตีความ “${phrase}” ว่าซื้อ ${value} ครั้งขึ้นไป`,
        lapsed: `ตีความ “${phrase}” ว่าไม่ได้ซื้อใน ${value} วันที่ผ่านมา (เคยซื้อมาก่อน)`,
        recentBuyer: `ตีความ “${phrase}” ว่าซื้อภายใน ${value} วันที่ผ่านมา`,
        newFriend: `ตีความ “${phrase}” ว่าเพิ่มเพื่อนภายใน ${value} วัน`,
        newFriendDefault: `ตีความ “${phrase}” ว่าเพิ่มเพื่อนภายใน ${value} วัน`,
        vipAmount: `ตีความ “${phrase}” ว่ายอดซื้อสะสมตั้งแต่ ${value}`,
        dormant: `ตีความ “${phrase}” ว่าซื้อครั้งล่าสุด ${value} วันขึ้นไป`,
      }[key];
  }
}

const NOTES = {
  en: {
    notUnderstood:
      "I could not turn this goal into conditions. Try for example: “repeat customers”, “haven't bought in 90 days”, “abandoned a cart in the last 24 hours”, “became friends in the last 7 days”, “tagged VIP”.",
    unknownTag: (t: string) => `No friend tag named “${t}” exists yet, so this matches nobody until it is used`,
    ignored: (s: string) => `Not understood, left out: “${s}”`,
    everyone: "all friends",
    fallback: (reason: string) => `The language model could not be used (${reason}); the built-in planner answered instead.`,
  },
  ja: {
    notUnderstood:
      "目的を条件に変換できませんでした。例：「リピーター」「90日以上購入していない」「24時間以内にカゴ落ち」「7日以内に友だち追加」「VIPタグ」",
    unknownTag: (t: string) => `タグ「${t}」はまだありません（使われるまで該当者はいません）`,
    ignored: (s: string) => `理解できなかったため除外：「${s}」`,
    everyone: "すべての友だち",
    fallback: (reason: string) => `言語モデルを利用できなかったため（${reason}）、内蔵プランナーで作成しました。`,
  },
  "zh-TW": {
    notUnderstood: "無法將此目標轉換為條件。例如：「回購客」「90 天沒有購買」「24 小時內放棄購物車」「7 天內加入好友」「VIP 標籤」",
    unknownTag: (t: string) => `目前沒有名為「${t}」的標籤（在使用前不會有人符合）`,
    ignored: (s: string) => `無法理解，已略過：「${s}」`,
    everyone: "所有好友",
    fallback: (reason: string) => `無法使用語言模型（${reason}），改由內建規劃器產生。`,
  },
  th: {
    notUnderstood:
      "ไม่สามารถแปลงเป้าหมายนี้เป็นเงื่อนไขได้ ลองเช่น “ลูกค้าประจำ” “ไม่ได้ซื้อ 90 วัน” “มีตะกร้าค้างภายใน 24 ชั่วโมง” “เพิ่มเพื่อนภายใน 7 วัน” “แท็ก VIP”",
    unknownTag: (t: string) => `ยังไม่มีแท็ก “${t}” (จะไม่มีใครตรงเงื่อนไขจนกว่าจะใช้แท็กนี้)`,
    ignored: (s: string) => `ไม่เข้าใจ จึงไม่ได้ใช้: “${s}”`,
    everyone: "เพื่อนทั้งหมด",
    fallback: (reason: string) => `ใช้โมเดลภาษาไม่ได้ (${reason}) จึงใช้ตัววางแผนในตัวแทน`,
  },
} as const;

export function notes(locale: AssistantLocale) {
  return NOTES[locale];
}

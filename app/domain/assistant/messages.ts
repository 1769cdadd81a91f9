// What the assistant says, in the merchant's language: clarifying questions, stated defaults and
// suggested names. Condition and definition summaries are the segment editor's own
// (describeCondition / describeDefinition in app/domain/segments/summary.ts), so the two never
// disagree. Kept as plain tables keyed by locale so they can move into i18next resources unchanged.
import type { SummaryLocale } from "~/domain/segments/summary";

const ASSISTANT_LOCALES = ["en", "ja", "zh-TW", "th"] as const satisfies readonly SummaryLocale[];
export type AssistantLocale = (typeof ASSISTANT_LOCALES)[number];

export function isAssistantLocale(s: unknown): s is AssistantLocale {
  return typeof s === "string" && (ASSISTANT_LOCALES as readonly string[]).includes(s);
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
    reasons: {
      http: (status: number) => `the endpoint answered HTTP ${status}`,
      invalidOutput: () => "its answer was not a valid segment definition",
      timeout: () => "it did not answer in time",
      unreachable: () => "it could not be reached",
    },
    fallback: (reason: string) => `The language model could not be used (${reason}); the built-in planner answered instead.`,
  },
  ja: {
    notUnderstood:
      "目的を条件に変換できませんでした。例：「リピーター」「90日以上購入していない」「24時間以内にカゴ落ち」「7日以内に友だち追加」「VIPタグ」",
    unknownTag: (t: string) => `タグ「${t}」はまだありません（使われるまで該当者はいません）`,
    ignored: (s: string) => `理解できなかったため除外：「${s}」`,
    everyone: "すべての友だち",
    reasons: {
      http: (status: number) => `エンドポイントがエラー ${status} を返しました`,
      invalidOutput: () => "回答が有効なセグメント定義ではありませんでした",
      timeout: () => "時間内に応答がありませんでした",
      unreachable: () => "接続できませんでした",
    },
    fallback: (reason: string) => `言語モデルを利用できなかったため（${reason}）、内蔵プランナーで作成しました。`,
  },
  "zh-TW": {
    notUnderstood: "無法將此目標轉換為條件。例如：「回購客」「90 天沒有購買」「24 小時內放棄購物車」「7 天內加入好友」「VIP 標籤」",
    unknownTag: (t: string) => `目前沒有名為「${t}」的標籤（在使用前不會有人符合）`,
    ignored: (s: string) => `無法理解，已略過：「${s}」`,
    everyone: "所有好友",
    reasons: {
      http: (status: number) => `端點回傳錯誤 ${status}`,
      invalidOutput: () => "回覆不是有效的分眾條件",
      timeout: () => "未在時限內回覆",
      unreachable: () => "無法連線",
    },
    fallback: (reason: string) => `無法使用語言模型（${reason}），改由內建規劃器產生。`,
  },
  th: {
    notUnderstood:
      "ไม่สามารถแปลงเป้าหมายนี้เป็นเงื่อนไขได้ ลองเช่น “ลูกค้าประจำ” “ไม่ได้ซื้อ 90 วัน” “มีตะกร้าค้างภายใน 24 ชั่วโมง” “เพิ่มเพื่อนภายใน 7 วัน” “แท็ก VIP”",
    unknownTag: (t: string) => `ยังไม่มีแท็ก “${t}” (จะไม่มีใครตรงเงื่อนไขจนกว่าจะใช้แท็กนี้)`,
    ignored: (s: string) => `ไม่เข้าใจ จึงไม่ได้ใช้: “${s}”`,
    everyone: "เพื่อนทั้งหมด",
    reasons: {
      http: (status: number) => `ปลายทางตอบกลับด้วยข้อผิดพลาด ${status}`,
      invalidOutput: () => "คำตอบไม่ใช่เงื่อนไขกลุ่มเป้าหมายที่ถูกต้อง",
      timeout: () => "ไม่ตอบกลับภายในเวลาที่กำหนด",
      unreachable: () => "เชื่อมต่อไม่ได้",
    },
    fallback: (reason: string) => `ใช้โมเดลภาษาไม่ได้ (${reason}) จึงใช้ตัววางแผนในตัวแทน`,
  },
} as const;

export function notes(locale: AssistantLocale) {
  return NOTES[locale];
}

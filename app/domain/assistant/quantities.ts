// Quantities in a normalised goal: a number (or range) with its unit and the comparator words
// around it, in any of the four languages ("at least 3 times", "90日以上", "超過5000元",
// "ภายใน 7 วัน", "3+ orders", "between 2 and 4"). Dates (2026-01-31, 2026年1月31日, 1月31日) are
// quantities too. Units: durations are kept in days or hours; weeks = 7 days, months = 30 days,
// years = 365 days (the editor counts whole days).

export type QuantityOp = "gte" | "gt" | "lt" | "lte" | "eq" | "between";

export interface Quantity {
  kind: "duration" | "count" | "money" | "bare" | "date";
  /** Count, money or bare number; for durations the number of `unit`s. A range for "between". */
  value: number | [number, number];
  /** Durations only. */
  unit?: "hours" | "days";
  /** Explicit comparator, if any. */
  op?: QuantityOp;
  /** "within / in the last / 以内 / ภายใน" */
  within: boolean;
  /** "ago / 前 / ที่แล้ว" */
  ago: boolean;
  /** Dates only: YYYY-MM-DD and how it was qualified. */
  date?: string;
  dateOp?: "before" | "after" | "since" | "on";
  start: number;
  end: number;
}

const UNIT_SOURCES: Array<[string, string]> = [
  ["hours", "hours?|hrs?|h(?![a-z])|時間|小時|小时|ชั่วโมง|ชม\\.?"],
  ["days", "days?|d(?![a-z])|日間|日|天|วัน"],
  ["weeks", "weeks?|wks?|週間|週|周|星期|禮拜|礼拜|สัปดาห์|อาทิตย์"],
  ["months", "months?|mos?(?![a-z])|か月|ヶ月|ケ月|カ月|ヵ月|箇月|个月|個月|月|เดือน"],
  ["years", "years?|yrs?|年|ปี"],
  ["count", "times?|x(?![a-z])|purchases?|orders?|buys|回|度|次|筆|笔|件|ครั้ง|ออเดอร์|รายการ"],
  ["money", "yen|円|元|塊|dollars?|usd|jpy|twd|thb|baht|บาท|ドル"],
];
const UNIT = UNIT_SOURCES.map(([k, s]) => `(?<${k}>${s})`).join("|");
const NUM = "(\\d+(?:\\.\\d+)?)";
const RANGE_SEP = "\\s*(?:-|~|〜|to|到|至|ถึง)\\s*";
const QTY = new RegExp(`(?<cur>\\$|¥|฿|nt\\$)?\\s*${NUM}(?:${RANGE_SEP}${NUM})?\\s*(?<plus>\\+)?\\s*(?:${UNIT})?`, "gu");

const BEFORE: Array<[Exclude<QuantityOp, "between"> | "within", RegExp]> = [
  ["gte", /(?:at least|minimum(?: of)?|no less than|not less than|少なくとも|最低|至少|最少|不少於|อย่างน้อย|ไม่น้อยกว่า|≥|>=)\s*$/u],
  ["lte", /(?:at most|up to|no more than|not more than|maximum(?: of)?|最多|不超過|不超过|ไม่เกิน|สูงสุด|≤|<=)\s*$/u],
  ["gt", /(?:more than|over|above|greater than|exceeding|beyond|longer than|超過|超过|多於|多于|大於|大于|高於|高于|มากกว่า|เกิน|กว่า|>)\s*$/u],
  ["lt", /(?:less than|fewer than|under|below|少於|少于|低於|低于|不到|未滿|未满|น้อยกว่า|ต่ำกว่า|ไม่ถึง|<)\s*$/u],
  ["eq", /(?:exactly|just|ちょうど|剛好|正好|เท่ากับ|พอดี)\s*$/u],
];
const WITHIN_BEFORE =
  /(?:within|in|during|for|over|since)?\s*(?:the )?(?:last|past|previous|recent)\s*$|(?:within|in)\s*$|(?:過去|直近|ここ|最近|過去的|过去|近|ภายใน|ในช่วง|ในรอบ|ใน)\s*$/u;
const AFTER: Array<[Exclude<QuantityOp, "between"> | "within" | "ago", RegExp]> = [
  ["gte", /^\s*(?:\+|or more|or above|or higher|or longer|and (?:up|above|more|over)|plus|以上|或以上|ขึ้นไป|หรือมากกว่า)/u],
  ["gt", /^\s*(?:超|を超え|より(?:多|長))/u],
  ["lt", /^\s*(?:未満|未滿|ไม่ถึง)/u],
  ["lte", /^\s*(?:or (?:less|fewer|below)|以下|หรือน้อยกว่า|ลงมา)/u],
  ["within", /^\s*(?:以内|以內|之內|之内|內|内|の間|間|ที่ผ่านมา|ล่าสุด|หลังสุด)/u],
  ["ago", /^\s*(?:(?:以上)?(?:ago|前|之前|以前|ที่แล้ว|มาแล้ว|ก่อน))/u],
];

const EN_MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const DATE = new RegExp(
  [
    "(?<y1>\\d{4})[-/.](?<m1>\\d{1,2})[-/.](?<d1>\\d{1,2})",
    "(?<y2>\\d{4})年\\s*(?<m2>\\d{1,2})月\\s*(?<d2>\\d{1,2})[日号號]",
    "(?<m3>\\d{1,2})月\\s*(?<d3>\\d{1,2})[日号號]",
    `(?<mon>${EN_MONTHS.join("|")})[a-z]*\\.?\\s+(?<d4>\\d{1,2})(?:st|nd|rd|th)?(?:,?\\s+(?<y4>\\d{4}))?`,
  ].join("|"),
  "gu",
);
const DATE_BEFORE: Array<["before" | "after" | "since", RegExp]> = [
  ["before", /(?:before|until|prior to|ก่อน)\s*$/u],
  ["after", /(?:after|หลังจาก|หลัง)\s*$/u],
  ["since", /(?:since|from|starting|ตั้งแต่)\s*$/u],
];
const DATE_AFTER: Array<["before" | "after" | "since", RegExp]> = [
  ["before", /^\s*(?:より前|以前|まで|之前|以前|前)/u],
  ["since", /^\s*(?:以降|から|之後|之后|以後|以后|以来|起|เป็นต้นไป)/u],
];

const pad = (n: number) => String(n).padStart(2, "0");

function isoDate(y: number, m: number, d: number): string | null {
  const s = `${y}-${pad(m)}-${pad(d)}`;
  const t = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(t.getTime()) && t.toISOString().startsWith(s) ? s : null;
}

/**
 * Every quantity in `text` (normalised by normalizeGoal), in order. `today` (YYYY-MM-DD, shop-local)
 * supplies the year of dates written without one.
 */
export function findQuantities(text: string, today: string): Quantity[] {
  const out: Quantity[] = [];
  const taken: Array<[number, number]> = [];
  for (const m of text.matchAll(DATE)) {
    const g = m.groups!;
    const year = Number(g.y1 ?? g.y2 ?? g.y4 ?? today.slice(0, 4));
    const month = g.mon ? EN_MONTHS.indexOf(g.mon) + 1 : Number(g.m1 ?? g.m2 ?? g.m3);
    const day = Number(g.d1 ?? g.d2 ?? g.d3 ?? g.d4);
    const date = isoDate(year, month, day);
    if (!date) continue;
    const start = m.index!;
    const end = start + m[0].length;
    const before = text.slice(Math.max(0, start - 14), start);
    const after = text.slice(end, end + 8);
    const dateOp = DATE_BEFORE.find(([, re]) => re.test(before))?.[0] ?? DATE_AFTER.find(([, re]) => re.test(after))?.[0] ?? "on";
    out.push({ kind: "date", value: 0, date, dateOp, within: false, ago: false, start, end });
    taken.push([start, end]);
  }
  for (const m of text.matchAll(QTY)) {
    const start = m.index! + (m[0].length - m[0].trimStart().length);
    const end = m.index! + m[0].trimEnd().length;
    if (taken.some(([a, b]) => start < b && end > a)) continue;
    // A number glued to letters (e.g. a product code "x200") is not a quantity.
    if (/[a-z]$/.test(text.slice(0, start)) && !m.groups!.cur) continue;
    const g = m.groups!;
    const a = Number(m[2]);
    const b = m[3] !== undefined ? Number(m[3]) : undefined;
    let kind: Quantity["kind"] = "bare";
    let factor = 1;
    let unit: Quantity["unit"];
    if (g.hours) [kind, unit] = ["duration", "hours"];
    else if (g.days) [kind, unit] = ["duration", "days"];
    else if (g.weeks) [kind, unit, factor] = ["duration", "days", 7];
    else if (g.months) [kind, unit, factor] = ["duration", "days", 30];
    else if (g.years) [kind, unit, factor] = ["duration", "days", 365];
    else if (g.count) kind = "count";
    else if (g.money || g.cur) kind = "money";
    const value: Quantity["value"] = b !== undefined ? [a * factor, b * factor] : a * factor;
    const before = text.slice(Math.max(0, start - 24), start);
    const after = text.slice(end, end + 16);
    let op: QuantityOp | undefined = b !== undefined ? "between" : g.plus ? "gte" : undefined;
    let within = false;
    let ago = false;
    for (const [k, re] of BEFORE) if (!op && re.test(before)) op = k as QuantityOp;
    if (WITHIN_BEFORE.test(before)) within = true;
    for (const [k, re] of AFTER)
      if (re.test(after)) {
        if (k === "within") within = true;
        else if (k === "ago") ago = true;
        else op ??= k;
      }
    // "over the last 30 days" is a window, not a comparison.
    if (within && op === "gt" && /(?:over|in) (?:the )?(?:last|past)\s*$/.test(before)) op = undefined;
    out.push({ kind, value, unit, op, within, ago, start, end });
  }
  return out.sort((x, y) => x.start - y.start);
}

/** Duration in whole days (hours round up to days). */
export function durationDays(q: Quantity): number {
  const v = Array.isArray(q.value) ? q.value[1] : q.value;
  return q.unit === "hours" ? Math.max(1, Math.ceil(v / 24)) : Math.round(v);
}

/** Duration in hours. */
export function durationHours(q: Quantity): number {
  const v = Array.isArray(q.value) ? q.value[1] : q.value;
  return q.unit === "hours" ? v : v * 24;
}

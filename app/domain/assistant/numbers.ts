// Numbers written as words → digits, so the rest of the planner only sees "3", "20", "10000".
// English ("three", "twenty-one", "a week", "twice"), Japanese/Chinese numerals ("三", "二十",
// "1万", "兩"), Thai words and digits ("สาม", "ยี่สิบเอ็ด", "๓"). CJK and Thai numerals are
// converted only where a counter or unit follows (三回, 二十日, สามเดือน), so words that merely
// contain a numeral character (一緒, สามารถ) stay as they are. Thai word boundaries come from
// Intl.Segmenter.

const EN_UNITS: Record<string, number> = {
  zero: 0,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
};
const EN_TENS: Record<string, number> = { twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90 };
const EN_SCALES: Record<string, number> = { hundred: 100, thousand: 1000, million: 1_000_000 };
const EN_WORD = [...Object.keys(EN_UNITS), ...Object.keys(EN_TENS), ...Object.keys(EN_SCALES)].join("|");
const EN_RUN = new RegExp(
  `(?<![a-z])(?:(?:a|an)\\s+(?=(?:hundred|thousand|million)(?![a-z])))?(?:${EN_WORD})(?:(?:\\s+|-|\\s+and\\s+)(?:${EN_WORD}))*(?![a-z])`,
  "g",
);

function englishValue(run: string): number {
  let total = 0;
  let current = 0;
  for (const w of run.split(/\s+|-/)) {
    if (w === "and" || w === "") continue;
    if (w === "a" || w === "an") current = 1;
    else if (w in EN_UNITS) current += EN_UNITS[w]!;
    else if (w in EN_TENS) current += EN_TENS[w]!;
    else if (w === "hundred") current = (current || 1) * 100;
    else {
      total += (current || 1) * EN_SCALES[w]!;
      current = 0;
    }
  }
  return total + current;
}

const CJK_DIGITS: Record<string, number> = {
  〇: 0,
  零: 0,
  一: 1,
  二: 2,
  两: 2,
  兩: 2,
  三: 3,
  四: 4,
  五: 5,
  六: 6,
  七: 7,
  八: 8,
  九: 9,
};
const CJK_SMALL: Record<string, number> = { 十: 10, 百: 100, 千: 1000 };
const CJK_BIG: Record<string, number> = { 万: 10_000, 萬: 10_000, 億: 100_000_000, 亿: 100_000_000 };

/** Value of a run like 二十, 三百五十, 一万, 五千. */
function cjkValue(run: string): number {
  let total = 0;
  let section = 0;
  let digit = 0;
  for (const ch of run) {
    if (ch in CJK_DIGITS) digit = CJK_DIGITS[ch]!;
    else if (ch in CJK_SMALL) {
      section += (digit || 1) * CJK_SMALL[ch]!;
      digit = 0;
    } else if (ch in CJK_BIG) {
      total += (section + digit || 1) * CJK_BIG[ch]!;
      section = 0;
      digit = 0;
    }
  }
  return total + section + digit;
}

// What may follow a CJK numeral for it to be a number (counters, units, comparators).
const CJK_FOLLOW =
  "(?=\\s*(?:回|度|次|日|天|週|周|星期|禮拜|礼拜|か月|ヶ月|ケ月|カ月|ヵ月|箇月|个月|個月|月|時間|小時|小时|年|円|元|塊|件|筆|笔|個|个|人|以上|以下|以内|以內|未満|ドル|万|萬|千|百|$))";
const CJK_RUN = new RegExp(`[〇零一二两兩三四五六七八九十百千万萬億亿]+${CJK_FOLLOW}`, "gu");

const TH_DIGIT: Record<string, number> = { ศูนย์: 0, หนึ่ง: 1, เอ็ด: 1, สอง: 2, ยี่: 2, สาม: 3, สี่: 4, ห้า: 5, หก: 6, เจ็ด: 7, แปด: 8, เก้า: 9 };
const TH_SCALE: Record<string, number> = { สิบ: 10, ร้อย: 100, พัน: 1000, หมื่น: 10_000, แสน: 100_000, ล้าน: 1_000_000 };
const TH_PART = new RegExp(`^(?:${[...Object.keys(TH_DIGIT), ...Object.keys(TH_SCALE)].join("|")})+$`, "u");
const TH_ATOM = new RegExp(`${[...Object.keys(TH_DIGIT), ...Object.keys(TH_SCALE)].sort((a, b) => b.length - a.length).join("|")}`, "gu");

/** Value of a Thai numeral word like ยี่สิบเอ็ด (21) or สามพัน (3000). */
function thaiValue(word: string): number {
  let total = 0;
  let digit = 0;
  for (const m of word.matchAll(TH_ATOM)) {
    const a = m[0];
    if (a in TH_DIGIT) digit = TH_DIGIT[a]!;
    else {
      total += (digit || 1) * TH_SCALE[a]!;
      digit = 0;
    }
  }
  return total + digit;
}

const thaiSegmenter = new Intl.Segmenter("th", { granularity: "word" });

function thaiNumbers(text: string): string {
  if (!/[\u0E00-\u0E7F]/u.test(text)) return text;
  const words = [...thaiSegmenter.segment(text)].map((s) => s.segment);
  // ICU may split a compound numeral (ยี่สิบ|เอ็ด): merge adjacent numeral words first.
  const out: string[] = [];
  let run = "";
  const flush = () => {
    if (run) out.push(` ${thaiValue(run)} `);
    run = "";
  };
  for (const w of words) {
    if (TH_PART.test(w)) run += w;
    else {
      flush();
      out.push(w);
    }
  }
  flush();
  return out.join("").replace(/ {2,}/g, " ");
}

/** NFKC, except that Thai SARA AM stays one character (NFKC splits ำ into ํ + า, which no Thai word is written with). */
export function nfkc(s: string): string {
  return s.normalize("NFKC").replace(/\u0E4D\u0E32/gu, "\u0E33");
}

/**
 * Normalise a goal for matching: NFKC (full-width → ASCII), lower case, Thai digits, thousands
 * separators, and number words → digits. Shorthand like "10k", "1万", "1.5万" becomes a number.
 */
export function normalizeGoal(goal: string): string {
  let s = nfkc(goal).toLowerCase();
  s = s.replace(/[๐-๙]/gu, (d) => String(d.charCodeAt(0) - 0x0e50));
  s = s.replace(/(\d),(?=\d{3}(?!\d))/g, "$1");
  s = s.replace(/(\d+(?:\.\d+)?)\s*(k|万|萬|千)(?![a-z])/gu, (_m, n: string, u: string) =>
    String(Math.round(Number(n) * (u === "k" || u === "千" ? 1000 : 10_000))),
  );
  s = s
    .replace(/(?<![a-z])(?:twice)(?![a-z])/g, "2 times")
    .replace(/(?<![a-z])(?:thrice)(?![a-z])/g, "3 times")
    .replace(/(?<![a-z])once(?![a-z])/g, "1 time")
    .replace(/(?<![a-z])a couple of(?![a-z])/g, "2")
    .replace(/(?<![a-z])half a year(?![a-z])/g, "6 months")
    .replace(/(?<![a-z])fortnight(?![a-z])/g, "2 weeks")
    .replace(/(?<![a-z])(?:a|an|one)\s+(day|week|month|year|hour)(?![a-z])/g, "1 $1")
    .replace(/(?<![a-z])(?:last|past|this)\s+(day|week|month|year)(?![a-z])/g, "last 1 $1");
  s = s.replace(EN_RUN, (run) => String(englishValue(run.trim())));
  s = s.replace(/半年/gu, "6か月").replace(/ひと月|一ヶ月|一か月/gu, "1か月");
  s = s.replace(/between\s+(\d+(?:\.\d+)?)\s+and\s+(\d+(?:\.\d+)?)/g, "$1~$2");
  s = s.replace(CJK_RUN, (run) => String(cjkValue(run)));
  s = thaiNumbers(s);
  return s;
}

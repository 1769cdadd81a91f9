// The planner's lexicon: surface forms of English, Japanese, Traditional Chinese and Thai goals,
// mapped to a small set of concepts and modifiers. Every pattern runs on the normalised goal
// (NFKC, lower-case, numbers as digits — see numbers.ts). The scripts do not overlap, so all
// languages are matched at once: a Japanese merchant may type "VIP" or an English product title.
// Overlapping matches are resolved longest-first (planner.ts), so "abandoned cart" beats "cart"
// and "added to cart" is a cart, not a friend added.

/** What a phrase is about. Each becomes zero or more segment conditions (planner.ts). */
export type Concept =
  | "purchase" // bought / ordered (the verb; refined by quantities, negation, products)
  | "repeat" // repeat customers (purchaseCount ≥ 2 or 3: ambiguous)
  | "firstTime" // bought exactly once
  | "dormant" // no purchase for a long time (90 days unless a number is given)
  | "spend" // amount spent
  | "vip" // VIP / best customers
  | "friendAdded" // became a friend
  | "cart" // abandoned cart
  | "click" // tracked-link clicks
  | "tap" // rich-menu taps
  | "consentIn" // accepts marketing
  | "consentOut" // opted out of marketing
  | "blocked" // blocked the account
  | "linked" // linked to a Shopify customer
  | "unlinked"
  | "all"; // every friend

/** Words that change the concept next to them rather than adding one. */
export type Modifier = "neg" | "never" | "recent" | "new";

export interface Pattern<K extends string> {
  kind: K;
  re: RegExp;
}

const p = <K extends string>(kind: K, source: string): Pattern<K> => ({ kind, re: new RegExp(source, "gu") });

// English word boundary that also works next to digits and placeholders.
const B = "(?<![a-z])";
const E = "(?![a-z])";

export const CONCEPTS: Pattern<Concept>[] = [
  // --- English
  p("purchase", `${B}(?:bought|buy|buys|buying|purchas(?:e|ed|es|ing)|order(?:ed|s)?|buyers?|purchasers?|shopped|paying customers?|converted)${E}`),
  p("repeat", `${B}(?:repeat(?: customers?| buyers?| purchasers?| purchases?| orders?)?|returning customers?|loyal(?: customers?)?|regulars?|repeaters?|bought again|came back to buy)${E}`),
  p("firstTime", `${B}(?:first[- ]time(?: customers?| buyers?| purchasers?)?|one[- ]time (?:customers?|buyers?|purchasers?)|new customers?|bought (?:only )?once|only (?:bought|purchased|ordered) once|single purchase)${E}`),
  p("dormant", `${B}(?:dormant|lapsed|inactive|churned|at[- ]risk|win[- ]?back|comeback|come back|re-?engage(?:ment)?|re-?activat(?:e|ion)|sleeping)${E}`),
  p("spend", `${B}(?:spent|spend(?:s|ing)?|total(?: spend(?:ing)?| spent| purchases? amount)?|lifetime value|ltv|order value)${E}`),
  p("vip", `${B}(?:vips?|big spenders?|high spenders?|top (?:customers?|spenders?|buyers?)|best customers?|high[- ]value(?: customers?)?|whales?)${E}`),
  p("friendAdded", `${B}(?:new (?:line )?(?:friends?|followers?)|became (?:a |our )?friends?|become (?:a |our )?friends?|added (?:us|me|our account|the account|as (?:a )?friends?)|friends? (?:who were )?added|added|followed(?: us)?|follow(?:ed|s)? us|joined|onboarding|welcome|newcomers?|friended)${E}`),
  p("cart", `${B}(?:abandoned (?:their |a |the )?(?:carts?|checkouts?|baskets?)|abandoned[- ]cart|cart abandon(?:ment|ers?|ed)?|checkout abandon(?:ment|ers?|ed)?|left (?:items? |something |products? )?in (?:their |the |a )?(?:cart|basket)|added (?:items? |products? )?to (?:their |the |a )?(?:cart|basket)|abandoned|carts?)${E}`),
  p("click", `${B}(?:click(?:ed|s|ing)?|opened (?:a |the )?links?)${E}`),
  p("tap", `${B}(?:tap(?:ped|s|ping)?|rich menu|pressed)${E}`),
  p("consentIn", `${B}(?:opted[- ]in|opt[- ]in|consent(?:ed|s)?|agreed to (?:receive )?marketing|accepts? marketing|marketing consent|subscribed|subscribers?)${E}`),
  p("consentOut", `${B}(?:opted[- ]out|opt[- ]out|unsubscribed|refused marketing|no marketing)${E}`),
  p("blocked", `${B}(?:blocked(?: us| the account)?|unfollowed|block(?:ers)?)${E}`),
  p("linked", `${B}(?:linked|connected (?:their )?(?:shopify )?accounts?|account[- ]linked|linked accounts?|link(?:ed)? (?:to|with) shopify|identified)${E}`),
  p("unlinked", `${B}(?:unlinked|not linked|anonymous)${E}`),
  p("all", `${B}(?:everyone|everybody|all (?:my |our |the )?(?:friends|followers|customers|contacts))${E}`),

  // --- Japanese
  p("purchase", "購入|買っ|買い|買わ|買う|注文|お買い上げ|購買|オーダー|利用(?:し|した)"),
  p("repeat", "リピーター|リピート(?:顧客|購入|客)?|常連(?:客|さん)?|再購入|リピ買い|2回目以降"),
  p("firstTime", "初回購入者?|初めて購入|初購入|新規(?:顧客|購入者|客)|一見"),
  p("dormant", "休眠(?:顧客|客)?|離反(?:顧客|客)?|ご無沙汰|掘り起こし|呼び戻し|カムバック|久しく"),
  p("spend", "購入金額|累計(?:購入)?金額|購入額|合計金額|利用金額|使った|使っ|支払"),
  p("vip", "vip|優良(?:顧客|客)|上得意|お得意様|大口(?:顧客)?|ロイヤル(?:顧客|カスタマー)"),
  p("friendAdded", "友(?:だち|達)(?:追加|登録|になっ|になった|に追加)|友(?:だち|達)として追加|新規友(?:だち|達)|新しい友(?:だち|達)|フォロー|オンボーディング|登録(?:した|して)|追加(?:した|して|され)"),
  p("cart", "カゴ落ち|かご落ち|カート(?:放棄|落ち|離脱|に(?:商品を)?残)|買い物かご|放棄|カート"),
  p("click", "クリック|リンクを(?:開|押)"),
  p("tap", "タップ|リッチメニュー(?:を押)?|メニューを押"),
  p("consentIn", "配信(?:に)?(?:許可|同意)|同意(?:済み|した|している)?|オプトイン|受け取りを許可"),
  p("consentOut", "配信停止|オプトアウト|受信拒否|配信を?拒否"),
  p("blocked", "ブロック"),
  p("linked", "連携(?:済み|した|している)?|紐付け|ひも付け|紐づけ"),
  p("unlinked", "未連携"),
  p("all", "全員|すべての友(?:だち|達)|全ての友(?:だち|達)|友(?:だち|達)全員|全友(?:だち|達)"),

  // --- Traditional (and Simplified) Chinese
  p("purchase", "購買|购买|買過|买过|消費過|下單|下单|訂購|订购|購物|买|買"),
  p("repeat", "回購(?:客|客戶|顧客)?|回购|回頭客|回头客|熟客|老(?:顧客|客戶|客)|常客|重複購買|重复购买|再次購買|忠實(?:顧客|客戶)"),
  p("firstTime", "首購(?:客|客戶|顧客)?|首购|第1次購買|新客(?:戶)?|只買過1次|只购买过1次|只買1次"),
  p("dormant", "沉睡(?:客戶|顧客)?|流失(?:客戶|顧客)?|沉寂|喚回|唤回|挽回|回流|久未"),
  p("spend", "消費金額|消费金额|累計消費|累积消费|累計金額|花費|花费|消費|消费|花了|總金額|总金额"),
  p("vip", "vip|高價值(?:客戶|顧客)|大客戶|大戶|頂級客戶|貴賓|贵宾|高消費"),
  p("friendAdded", "加入好友|成為好友|成为好友|加好友|新好友|新加入|追蹤|追踪|關注|关注|加入"),
  p("cart", "放棄(?:的)?購物車|放弃(?:的)?购物车|棄單|弃单|購物車|购物车|未結帳|未结账|遺棄"),
  p("click", "點擊|点击|點了|点了|點過|点过|點選連結"),
  p("tap", "圖文選單|图文菜单|選單|菜单|點選"),
  p("consentIn", "同意(?:接收)?(?:行銷|营销|推播)?|訂閱|订阅|願意接收"),
  p("consentOut", "拒收|取消訂閱|取消订阅|退訂|退订|不接收(?:行銷|营销)"),
  p("blocked", "封鎖|封锁|拉黑|已封鎖"),
  p("linked", "綁定|绑定|已連結|已连结|連動|帳號連結"),
  p("unlinked", "未綁定|未绑定|未連結"),
  p("all", "所有好友|全部好友|所有人|全部的好友|全體"),

  // --- Thai
  p("purchase", "ซื้อ|สั่งซื้อ|สั่งของ|ออเดอร์|อุดหนุน|ช้อป"),
  p("repeat", "ลูกค้าประจำ|ซื้อซ้ำ|กลับมาซื้อ|ลูกค้าขาประจำ|ขาประจำ|ซื้อเป็นประจำ"),
  p("firstTime", "ซื้อครั้งแรก|ลูกค้าใหม่|ซื้อแค่ครั้งเดียว|ซื้อเพียงครั้งเดียว"),
  p("dormant", "ห่างหาย|หายไป|ไม่ได้ซื้อนาน|ลูกค้าเก่า|ดึงกลับ|กลับมา(?!ซื้อ)|เงียบ"),
  p("spend", "ยอดซื้อ(?:สะสม|รวม)?|ใช้จ่าย|ยอดใช้จ่าย|ใช้เงิน|ยอดสะสม"),
  p("vip", "vip|วีไอพี|ลูกค้าชั้นดี|ลูกค้าคนสำคัญ|ลูกค้าระดับพรีเมียม|ลูกค้ารายใหญ่"),
  p("friendAdded", "เพิ่มเพื่อน|เป็นเพื่อน|เพื่อนใหม่|แอดไลน์|ติดตาม|เข้าร่วม|ต้อนรับ"),
  p("cart", "ตะกร้าค้าง|ทิ้งตะกร้า|ละทิ้งตะกร้า|ลืมตะกร้า|สินค้าค้างในตะกร้า|ค้างในตะกร้า|ตะกร้า"),
  p("click", "คลิก|กดลิงก์|กดลิ้งค์"),
  p("tap", "แตะ|ริชเมนู|กดเมนู"),
  p("consentIn", "ยินยอม|ยอมรับ(?:การ)?(?:รับ)?(?:ข่าวสาร|การตลาด)|สมัครรับ|รับข่าวสาร"),
  p("consentOut", "ยกเลิกรับ|ไม่รับข่าวสาร|ปฏิเสธ(?:การ)?รับ|ไม่ยินยอม"),
  p("blocked", "บล็อก|บล๊อก"),
  p("linked", "เชื่อม(?:ต่อ)?บัญชี|ผูกบัญชี|ลิงก์บัญชี"),
  p("unlinked", "ยังไม่(?:ได้)?เชื่อม(?:ต่อ)?บัญชี|ยังไม่ผูกบัญชี"),
  p("all", "ทุกคน|เพื่อนทั้งหมด|ลูกค้าทั้งหมด"),
];

/**
 * Negation is matched per language; each pattern skips the comparators that contain a negative
 * ("no more than", 未満, 不到, ไม่เกิน), which numbers.ts / quantities own.
 * `forward: false` negations (Japanese ない) follow the verb they negate.
 */
export const MODIFIERS: Array<Pattern<Modifier> & { forward: boolean }> = [
  { ...p("never", `${B}(?:never|not yet|yet to|no purchases?|zero purchases?|no orders?|non[- ]?(?:buyers?|purchasers?|customers?))${E}`), forward: true },
  {
    ...p(
      "neg",
      `${B}(?:not|no(?! (?:more|less|fewer|longer) than)|without|exclud(?:e|ing)|except|haven't|havent|hasn't|hasnt|didn't|didnt|don't|dont|doesn't|doesnt|isn't|aren't|none|nothing)${E}`,
    ),
    forward: true,
  },
  { ...p("recent", `${B}(?:recent(?:ly)?|lately|these days)${E}`), forward: true },
  { ...p("new", `${B}(?:just|newly|new|fresh)${E}`), forward: true },
  { ...p("never", "1度も|一度も|未購入|購入(?:経験|歴)(?:が|の)?(?:ない|なし|無し)|購入したことがない|買ったことがない"), forward: true },
  { ...p("neg", "未(?!満|連携)"), forward: true },
  { ...p("neg", "を?除く|を?除いた|以外|除外"), forward: false },
  { ...p("neg", "(?<!少)(?:ない|なく|なし|無し|ません|せず)"), forward: false },
  { ...p("recent", "最近|直近|近頃|このところ"), forward: true },
  { ...p("new", "新規|新しく|新たに|したばかり|たばかり|なったばかり|ばかり"), forward: true },
  { ...p("never", "從未|从未|從來沒|从来没|未曾|還沒買過|还没买过|沒買過|没买过|尚未購買|未購買"), forward: true },
  { ...p("neg", "(?:排除|不含|除了|除去|沒有|没有|沒|没|不(?!到|超|少|足|限)|未(?!滿|满|綁|連)|無|无|非)"), forward: true },
  { ...p("recent", "最近|近期|近來"), forward: true },
  { ...p("new", "剛|刚|新"), forward: true },
  { ...p("never", "ไม่เคย|ยังไม่เคย|ยังไม่ได้ซื้อ|ยังไม่ซื้อ"), forward: true },
  { ...p("neg", "ไม่(?!เกิน|ถึง|น้อยกว่า)|ยังไม่|ปราศจาก|ยกเว้น|ไม่รวม|ไม่เอา"), forward: true },
  { ...p("recent", "ช่วงนี้|เร็วๆ\\s?นี้|ล่าสุด|ไม่นานมานี้"), forward: true },
  { ...p("new", "ใหม่|เพิ่ง"), forward: true },
];

/** Clause separators; "or" builds alternatives (OR groups), the rest AND. */
export const SEPARATORS: Pattern<"and" | "or">[] = [
  p("or", `${B}(?:or(?! (?:more|above|higher|less|fewer|below|longer|over)${E})|either)${E}|または|もしくは|あるいは|或是|或者|或(?!以上|以下|更)|还是|還是|หรือ(?!มากกว่า|น้อยกว่า)`),
  p(
    "and",
    `${B}(?:and(?! (?:up|above|over|more)${E})|but|who|whose|that|which|also|while)${E}|[,;!?、。，；]|\\.(?!\\d)|かつ|および|及び|そして|さらに|しかも|但是|但|並且|并且|而且|且|同時|以及|และ|แต่|ซึ่ง|โดย|รวมถึง`,
  ),
];

/** Words that say a name is a Shopify customer tag rather than a friend tag. */
export const SHOPIFY_WORD = /shopify|ショッピファイ|顧客タグ|客戶標籤|แท็กลูกค้า/u;

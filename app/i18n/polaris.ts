// Polaris's own translations for its components (pagination, filters, modals …), per admin language.
import type { AppProviderProps } from "@shopify/polaris";
import en from "@shopify/polaris/locales/en.json";
import ja from "@shopify/polaris/locales/ja.json";
import zhTW from "@shopify/polaris/locales/zh-TW.json";
import th from "@shopify/polaris/locales/th.json";
import type { Language } from "./config";

/**
 * Polaris fills DataTable's "scroll one column" label with the English word "left"/"right" in every
 * language ("向 left 捲動表格一欄" read aloud to a Taiwanese merchant): there the label is the
 * direction-free sentence of each language instead (the buttons' arrows show the direction).
 */
function withDataTableNav<T extends { Polaris: { DataTable: object } }>(t: T, label: string): T {
  return { ...t, Polaris: { ...t.Polaris, DataTable: { ...t.Polaris.DataTable, navAccessibilityLabel: label } } };
}

export const POLARIS_TRANSLATIONS: Record<Language, AppProviderProps["i18n"]> = {
  en,
  ja: withDataTableNav(ja, "表を1列スクロールする"),
  "zh-TW": withDataTableNav(zhTW, "捲動表格一欄"),
  th: withDataTableNav(th, "เลื่อนตารางหนึ่งคอลัมน์"),
};

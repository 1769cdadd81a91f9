// Polaris's own translations for its components (pagination, filters, modals …), per admin language.
import type { AppProviderProps } from "@shopify/polaris";
import en from "@shopify/polaris/locales/en.json";
import ja from "@shopify/polaris/locales/ja.json";
import zhTW from "@shopify/polaris/locales/zh-TW.json";
import th from "@shopify/polaris/locales/th.json";
import type { Language } from "./config";

export const POLARIS_TRANSLATIONS: Record<Language, AppProviderProps["i18n"]> = { en, ja, "zh-TW": zhTW, th };

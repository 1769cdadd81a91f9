// useFormat(): the formatting module (app/domain/format/format.ts) bound to the current merchant:
// the admin language (react-i18next) and the shop's time zone and currency (ShopFormatProvider,
// set by the app layout from the Shop row).
import { createContext, createElement, useContext, useMemo, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import * as f from "~/domain/format/format";

/** What the app layout loader (routes/app.tsx) exposes for formatting. */
export interface ShopFormatData {
  timeZone: string;
  currency: string;
}

const ShopFormat = createContext<ShopFormatData | null>(null);

export function ShopFormatProvider({ value, children }: { value: ShopFormatData; children: ReactNode }) {
  return createElement(ShopFormat.Provider, { value }, children);
}

export function useFormat() {
  const { i18n } = useTranslation();
  const shop = useContext(ShopFormat);
  return useMemo(() => {
    const ctx: f.FormatContext = { locale: i18n.language, timeZone: shop?.timeZone ?? "UTC", currency: shop?.currency ?? "USD" };
    return {
      ctx,
      dateTime: (v: Date | string | number) => f.formatDateTime(v, ctx),
      date: (v: Date | string | number) => f.formatDate(v, ctx),
      money: (v: number | string) => f.formatMoney(v, ctx),
      number: (v: number) => f.formatNumber(v, ctx),
      percent: (v: number) => f.formatPercent(v, ctx),
      hours: (v: number) => f.formatHours(v, ctx),
      /** The shop's time zone in words ("日本標準時"), for texts such as "10:00 ({{timezone}})". */
      timeZone: () => f.formatTimeZone(ctx),
    };
  }, [i18n.language, shop?.timeZone, shop?.currency]);
}

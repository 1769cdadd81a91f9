// react-i18next for the admin UI, in the language the app loader chose (app/i18n/i18n.server.ts).
// One i18next instance per language, created synchronously from bundled resources, so the server
// render and the browser's hydration produce the same text.
import { useCallback, useMemo, type ReactNode } from "react";
import { createInstance } from "i18next";
import { I18nextProvider, initReactI18next, useTranslation } from "react-i18next";
import { i18nOptions, withLocale, type Language } from "~/i18n/config";

export function I18nProvider({ language, children }: { language: Language; children: ReactNode }) {
  const i18n = useMemo(() => {
    const instance = createInstance();
    void instance.use(initReactI18next).init({ ...i18nOptions, lng: language });
    return instance;
  }, [language]);
  return <I18nextProvider i18n={i18n}>{children}</I18nextProvider>;
}

/**
 * `(href) => href with locale=<this page's language>`: for fetcher loads and submits to resource
 * routes, so their answers (preview summaries, assistant messages, errors) are in the page's language.
 */
export function useLocalized(): (href: string) => string {
  const { i18n } = useTranslation();
  return useCallback((href: string) => withLocale(href, i18n.language), [i18n.language]);
}

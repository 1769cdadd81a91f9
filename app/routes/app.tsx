import type { HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Outlet, useLoaderData, useLocation, useRouteError } from "@remix-run/react";
import { boundary } from "@shopify/shopify-app-remix/server";
import { NavMenu } from "@shopify/app-bridge-react";
import { Frame, Navigation, TopBar } from "@shopify/polaris";
import { useState } from "react";
import polarisStyles from "@shopify/polaris/build/esm/styles.css";
import { useTranslation } from "react-i18next";
import { AppProvider } from "~/components/AppProvider";
import { I18nProvider } from "~/components/I18nProvider";
import { ShopFormatProvider } from "~/components/format";
import { requireAdmin } from "~/adapters/shopify/admin-auth.server";
import { env } from "~/config/env.server";
import { requireShop } from "~/db/shops.server";
import { adminLanguage } from "~/i18n/i18n.server";
import { POLARIS_TRANSLATIONS } from "~/i18n/polaris";
import { NAV_ITEMS } from "~/components/nav";
import { SandboxToasts } from "~/components/toast";
import { skipReadOnlyActions } from "~/components/revalidation";

export const links = () => [{ rel: "stylesheet", href: polarisStyles }];

export const shouldRevalidate = skipReadOnlyActions;

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop, sandbox } = await requireAdmin(request);
  const row = await requireShop(shop);
  const { language, setCookie } = await adminLanguage(request, row);
  return json(
    { apiKey: env().SHOPIFY_API_KEY, shop, embedded: !sandbox, language, format: { timeZone: row.timezone, currency: row.currency } },
    setCookie ? { headers: { "Set-Cookie": setCookie } } : undefined,
  );
};

export default function AppLayout() {
  const { language, format } = useLoaderData<typeof loader>();
  return (
    <I18nProvider language={language}>
      <ShopFormatProvider value={format}>
        <AppFrame />
      </ShopFormatProvider>
    </I18nProvider>
  );
}

function AppFrame() {
  const { apiKey, shop, embedded, language } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const location = useLocation();
  const [userMenuOpen, setUserMenuOpen] = useState(false);
  if (embedded) {
    return (
      <AppProvider isEmbeddedApp apiKey={apiKey} i18n={POLARIS_TRANSLATIONS[language]}>
        <NavMenu>
          {NAV_ITEMS.map((item) => (
            <a key={item.url} href={item.url} rel={item.url === "/app" ? "home" : undefined}>
              {t(item.labelKey)}
            </a>
          ))}
        </NavMenu>
        <Outlet />
      </AppProvider>
    );
  }
  // Sandbox: no Shopify admin around us, so draw the admin's frame with Polaris.
  return (
    <AppProvider isEmbeddedApp={false} apiKey={apiKey} i18n={POLARIS_TRANSLATIONS[language]}>
      <Frame
        topBar={
          <TopBar
            userMenu={
              <TopBar.UserMenu
                name={shop}
                initials={shop.slice(0, 1).toUpperCase()}
                actions={[]}
                open={userMenuOpen}
                onToggle={() => setUserMenuOpen((o) => !o)}
              />
            }
          />
        }
        navigation={
          <Navigation location={location.pathname}>
            <Navigation.Section
              title={t("nav.sandboxTitle")}
              items={NAV_ITEMS.map((item) => ({
                url: item.url,
                label: t(item.labelKey),
                exactMatch: item.url === "/app",
                selected: item.url === "/app" ? location.pathname === "/app" : location.pathname.startsWith(item.url),
              }))}
            />
          </Navigation>
        }
      >
        <Outlet />
        <SandboxToasts />
      </Frame>
    </AppProvider>
  );
}

// Shopify needs Remix to catch some thrown responses, so that their headers are included.
export function ErrorBoundary() {
  return boundary.error(useRouteError());
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);

import type { HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Outlet, useLoaderData, useLocation, useRouteError } from "@remix-run/react";
import { boundary } from "@shopify/shopify-app-remix/server";
import { NavMenu } from "@shopify/app-bridge-react";
import { Frame, Navigation, TopBar } from "@shopify/polaris";
import { useState } from "react";
import polarisStyles from "@shopify/polaris/build/esm/styles.css";
import { AppProvider } from "~/components/AppProvider";
import { requireAdmin } from "~/adapters/shopify/admin-auth.server";
import { env } from "~/config/env.server";
import { NAV_ITEMS } from "~/components/nav";

export const links = () => [{ rel: "stylesheet", href: polarisStyles }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop, sandbox } = await requireAdmin(request);
  return json({ apiKey: env().SHOPIFY_API_KEY, shop, embedded: !sandbox });
};

export default function AppLayout() {
  const { apiKey, shop, embedded } = useLoaderData<typeof loader>();
  const location = useLocation();
  const [userMenuOpen, setUserMenuOpen] = useState(false);
  if (embedded) {
    return (
      <AppProvider isEmbeddedApp apiKey={apiKey}>
        <NavMenu>
          {NAV_ITEMS.map((item) => (
            <a key={item.url} href={item.url} rel={item.url === "/app" ? "home" : undefined}>
              {item.label}
            </a>
          ))}
        </NavMenu>
        <Outlet />
      </AppProvider>
    );
  }
  // Sandbox: no Shopify admin around us, so draw the admin's frame with Polaris.
  return (
    <AppProvider isEmbeddedApp={false} apiKey={apiKey}>
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
              title="LINE CRM (sandbox)"
              items={NAV_ITEMS.map((item) => ({
                url: item.url,
                label: item.label,
                exactMatch: item.url === "/app",
                selected: item.url === "/app" ? location.pathname === "/app" : location.pathname.startsWith(item.url),
              }))}
            />
          </Navigation>
        }
      >
        <Outlet />
      </Frame>
    </AppProvider>
  );
}

// Shopify needs Remix to catch some thrown responses, so that their headers are included.
export function ErrorBoundary() {
  return boundary.error(useRouteError());
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);

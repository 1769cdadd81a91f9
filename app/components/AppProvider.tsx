// Replaces AppProvider from @shopify/shopify-app-remix/react, whose import attribute
// (`with { type: 'json' }`) the classic Remix compiler's esbuild 0.17 cannot parse
// (docs/decisions/001-classic-remix-compiler.md). Mirrors the upstream component.
import { forwardRef, useEffect, type ReactNode } from "react";
import { Link, useNavigate } from "@remix-run/react";
import { AppProvider as PolarisAppProvider, type AppProviderProps } from "@shopify/polaris";
import type { LinkLikeComponentProps } from "@shopify/polaris/build/ts/src/utilities/link";
import enTranslations from "@shopify/polaris/locales/en.json";

const RemixPolarisLink = forwardRef<HTMLAnchorElement, LinkLikeComponentProps>(function RemixPolarisLink({ url, external, ...rest }, ref) {
  const href = url ?? "";
  if (external || /^https?:/.test(href)) return <a href={href} ref={ref} target="_blank" rel="noreferrer" {...rest} />;
  return <Link to={href} ref={ref} {...rest} />;
});

export function AppProvider({
  children,
  apiKey,
  isEmbeddedApp = true,
  ...rest
}: { children: ReactNode; apiKey: string; isEmbeddedApp?: boolean } & Partial<Omit<AppProviderProps, "children">>) {
  const navigate = useNavigate();
  useEffect(() => {
    const handler = (event: Event) => {
      const href = (event.target as HTMLElement | null)?.getAttribute("href");
      if (href) navigate(href);
    };
    addEventListener("shopify:navigate", handler);
    return () => removeEventListener("shopify:navigate", handler);
  }, [navigate]);
  return (
    <>
      {isEmbeddedApp && <script src="https://cdn.shopify.com/shopifycloud/app-bridge.js" data-api-key={apiKey} />}
      <PolarisAppProvider {...rest} linkComponent={RemixPolarisLink} i18n={rest.i18n ?? enTranslations}>
        {children}
      </PolarisAppProvider>
    </>
  );
}

import { Links, Meta, Outlet, Scripts, ScrollRestoration, isRouteErrorResponse, useRouteError, useRouteLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";

function Document({ children }: { children: ReactNode }) {
  // The admin language decides CJK glyph variants (Japanese vs Traditional Chinese) and Thai line breaking.
  const lang = useRouteLoaderData<{ language?: string }>("routes/app")?.language ?? "en";
  return (
    <html lang={lang}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width,initial-scale=1" />
        <link rel="preconnect" href="https://cdn.shopify.com/" />
        <Meta />
        <Links />
      </head>
      <body>
        {children}
        <ScrollRestoration />
        <Scripts />
      </body>
    </html>
  );
}

export default function App() {
  return (
    <Document>
      <Outlet />
    </Document>
  );
}

// Last resort for errors no route handled. `data-error-boundary` lets browser tests fail on it.
export function ErrorBoundary() {
  const error = useRouteError();
  const title = isRouteErrorResponse(error) ? `${error.status} ${error.statusText}` : "Something went wrong";
  return (
    <Document>
      <main data-error-boundary style={{ fontFamily: "system-ui, sans-serif", maxWidth: 640, margin: "64px auto" }}>
        <h1>{title}</h1>
        {error instanceof Error && <pre>{error.message}</pre>}
      </main>
    </Document>
  );
}

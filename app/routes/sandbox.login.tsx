// Sandbox-only admin login (SANDBOX_AUTH=1; refused whenever NODE_ENV=production): pick an installed
// shop and get a signed cookie instead of a Shopify session token.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { isSandboxAuthAllowed } from "~/config/env.server";
import { sandboxCookie } from "~/adapters/shopify/admin-auth.server";
import { hasOfflineSession, installedShopDomains } from "~/db/shops.server";
import { safeRedirectPath } from "~/domain/http/safe-redirect";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  if (!isSandboxAuthAllowed()) throw new Response("Not found", { status: 404 });
  const url = new URL(request.url);
  const shops = await installedShopDomains();
  const wanted = url.searchParams.get("shop") ?? (shops.length === 1 ? shops[0] : undefined);
  if (wanted) {
    if (!(await hasOfflineSession(wanted)))
      throw new Response(`No offline session for ${wanted}; run: npm run cli -- shop:install --shop ${wanted}`, { status: 404 });
    throw redirect(safeRedirectPath(url.searchParams.get("to"), "/app"), { headers: { "Set-Cookie": sandboxCookie(wanted) } });
  }
  return json({ shops });
};

export default function SandboxLogin() {
  const { shops } = useLoaderData<typeof loader>();
  return (
    <main style={{ fontFamily: "system-ui, sans-serif", maxWidth: 640, margin: "64px auto" }}>
      <h1>Sandbox login</h1>
      {shops.length === 0 ? (
        <p>
          No shop installed. Run <code>npm run sandbox</code> or <code>npm run cli -- shop:install --shop demo.myshopify.com</code>.
        </p>
      ) : (
        <ul>
          {shops.map((s) => (
            <li key={s}>
              <a href={`/sandbox/login?shop=${encodeURIComponent(s)}`}>{s}</a>
            </li>
          ))}
        </ul>
      )}
    </main>
  );
}

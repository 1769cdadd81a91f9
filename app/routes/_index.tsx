import type { LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { isSandboxAuthAllowed } from "~/config/env.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const url = new URL(request.url);
  if (url.searchParams.get("shop")) throw redirect(`/app?${url.searchParams.toString()}`);
  return json({ sandbox: isSandboxAuthAllowed() });
};

export default function Index() {
  const { sandbox } = useLoaderData<typeof loader>();
  return (
    <main style={{ fontFamily: "system-ui, sans-serif", maxWidth: 640, margin: "64px auto", lineHeight: 1.5 }}>
      <h1>LINE CRM for Shopify</h1>
      <p>Turn your order history into LINE messages and rich menus your customers actually want. Open the app from your Shopify admin.</p>
      {sandbox && (
        <p>
          Sandbox: <a href="/sandbox/login">open the admin UI</a>
        </p>
      )}
    </main>
  );
}

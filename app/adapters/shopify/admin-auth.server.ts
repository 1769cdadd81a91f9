// Admin authentication for app routes. In Shopify admin: authenticate.admin (session token, token
// exchange). In the sandbox (SANDBOX_AUTH=1, never in production): a signed cookie set by
// /sandbox/login, so the admin UI opens in a plain browser at localhost without Shopify admin.
import crypto from "node:crypto";
import { redirect } from "@remix-run/node";
import { authenticate, unauthenticated } from "~/shopify.server";
import { env, isSandboxAuthAllowed } from "~/config/env.server";

const COOKIE = "sandbox_shop";

function sign(value: string): string {
  return crypto.createHmac("sha256", env().SHOPIFY_API_SECRET).update(`sandbox:${value}`).digest("base64url");
}

export function sandboxCookie(shop: string): string {
  return `${COOKIE}=${encodeURIComponent(`${shop}.${sign(shop)}`)}; Path=/; HttpOnly; SameSite=Lax`;
}

function readSandboxShop(request: Request): string | undefined {
  if (!isSandboxAuthAllowed()) return undefined;
  const cookie = request.headers.get("cookie") ?? "";
  const raw = cookie
    .split(/;\s*/)
    .find((c) => c.startsWith(`${COOKIE}=`))
    ?.slice(COOKIE.length + 1);
  if (!raw) return undefined;
  const value = decodeURIComponent(raw);
  const dot = value.lastIndexOf(".");
  const shop = value.slice(0, dot);
  const mac = value.slice(dot + 1);
  const expected = sign(shop);
  if (mac.length !== expected.length || !crypto.timingSafeEqual(Buffer.from(mac), Buffer.from(expected))) return undefined;
  return shop;
}

export type AdminContext = Awaited<ReturnType<typeof authenticate.admin>> & { shop: string; sandbox: boolean };

export async function requireAdmin(request: Request): Promise<AdminContext> {
  const sandboxShop = readSandboxShop(request);
  if (sandboxShop) {
    const ctx = await unauthenticated.admin(sandboxShop);
    return { ...(ctx as unknown as AdminContext), shop: sandboxShop, sandbox: true };
  }
  if (isSandboxAuthAllowed() && !new URL(request.url).searchParams.has("shop") && !request.headers.has("authorization")) {
    throw redirect("/sandbox/login");
  }
  const ctx = await authenticate.admin(request);
  return { ...ctx, shop: ctx.session.shop, sandbox: false };
}

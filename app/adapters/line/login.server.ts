// LINE Login v2.1 (OAuth 2.0 code flow + OpenID Connect). Base URLs come from config so tests and the
// sandbox talk to the LINE emulator. https://developers.line.biz/en/reference/line-login/
import { z } from "zod";
import { env } from "~/config/env.server";

export interface AuthorizeParams {
  clientId: string;
  redirectUri: string;
  state: string;
  nonce: string;
  /** `aggressive`: after consent LINE shows a separate "add friend" screen for the linked OA. */
  botPrompt?: "normal" | "aggressive";
}

export function authorizeUrl(p: AuthorizeParams): string {
  const u = new URL("/oauth2/v2.1/authorize", env().LINE_LOGIN_BASE_URL);
  u.searchParams.set("response_type", "code");
  u.searchParams.set("client_id", p.clientId);
  u.searchParams.set("redirect_uri", p.redirectUri);
  u.searchParams.set("state", p.state);
  u.searchParams.set("scope", "profile openid");
  u.searchParams.set("nonce", p.nonce);
  if (p.botPrompt) u.searchParams.set("bot_prompt", p.botPrompt);
  // URLSearchParams encodes the space as "+", LINE's docs show %20: keep to the documented form.
  return u.toString().replace("scope=profile+openid", "scope=profile%20openid");
}

export function accountLinkUrl(linkToken: string, nonce: string): string {
  const u = new URL("/dialog/bot/accountLink", env().LINE_LOGIN_BASE_URL);
  u.searchParams.set("linkToken", linkToken);
  u.searchParams.set("nonce", nonce);
  return u.toString();
}

export class LineLoginError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = "LineLoginError";
  }
}

const TokenResponse = z.object({ access_token: z.string(), id_token: z.string(), token_type: z.string().optional() });
const IdTokenClaims = z.object({
  sub: z.string(),
  aud: z.string(),
  nonce: z.string().optional(),
  name: z.string().optional(),
  picture: z.string().optional(),
});
export type IdTokenClaims = z.infer<typeof IdTokenClaims>;

async function postForm(path: string, form: Record<string, string>): Promise<unknown> {
  const res = await fetch(new URL(path, env().LINE_API_BASE_URL), {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(form).toString(),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  if (!res.ok) throw new LineLoginError(`${path} → ${res.status} ${text.slice(0, 200)}`, res.status);
  try {
    return JSON.parse(text);
  } catch {
    throw new LineLoginError(`${path} → invalid JSON`);
  }
}

export async function exchangeCode(p: { code: string; redirectUri: string; clientId: string; clientSecret: string }) {
  const json = await postForm("/oauth2/v2.1/token", {
    grant_type: "authorization_code",
    code: p.code,
    redirect_uri: p.redirectUri,
    client_id: p.clientId,
    client_secret: p.clientSecret,
  });
  const parsed = TokenResponse.safeParse(json);
  if (!parsed.success) throw new LineLoginError("token response without id_token (is the openid scope granted?)");
  return parsed.data;
}

/** LINE verifies signature, audience, expiry and nonce for us (POST /oauth2/v2.1/verify). */
export async function verifyIdToken(p: { idToken: string; clientId: string; nonce: string }): Promise<IdTokenClaims> {
  const json = await postForm("/oauth2/v2.1/verify", { id_token: p.idToken, client_id: p.clientId, nonce: p.nonce });
  const parsed = IdTokenClaims.safeParse(json);
  if (!parsed.success) throw new LineLoginError("unexpected verify response");
  if (parsed.data.aud !== p.clientId || parsed.data.nonce !== p.nonce) throw new LineLoginError("id_token audience or nonce mismatch");
  return parsed.data;
}

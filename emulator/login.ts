/** LINE Login v2.1 (OAuth2 code flow + OIDC id_token) and the Messaging API account-link dialog. */
import crypto from "node:crypto";
import type { ServerResponse } from "node:http";
import { bearer, esc, parseForm, redirect, sendHtml, sendJson, type ParsedRequest } from "./http-util.js";
import { newToken, USER_ID_RE } from "./ids.js";
import type { ChannelState, EmulatorState } from "./state.js";
import type { WebhookEventInput, WebhookResult } from "./webhook.js";

export const LOGIN_CODE_TTL_MS = 10 * 60_000;
export const LOGIN_ACCESS_TOKEN_TTL_S = 30 * 24 * 3600;
export const ID_TOKEN_TTL_S = 3600;

export interface LoginDeps {
  state: EmulatorState;
  sendEvents: (cs: ChannelState, events: WebhookEventInput[]) => Promise<WebhookResult>;
  log: (msg: string) => void;
}

const b64url = (b: Buffer | string): string => Buffer.from(b).toString("base64url");

export function signJwtHs256(claims: Record<string, unknown>, secret: string): string {
  const head = b64url(JSON.stringify({ typ: "JWT", alg: "HS256" }));
  const body = b64url(JSON.stringify(claims));
  const sig = crypto.createHmac("sha256", secret).update(`${head}.${body}`).digest("base64url");
  return `${head}.${body}.${sig}`;
}

export function verifyJwtHs256(token: string, secret: string): Record<string, unknown> | undefined {
  const parts = token.split(".");
  if (parts.length !== 3) return undefined;
  const expected = crypto.createHmac("sha256", secret).update(`${parts[0]}.${parts[1]}`).digest();
  const got = Buffer.from(parts[2], "base64url");
  if (got.length !== expected.length || !crypto.timingSafeEqual(got, expected)) return undefined;
  try {
    return JSON.parse(Buffer.from(parts[1], "base64url").toString("utf8")) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

function errorPage(res: ServerResponse, status: number, title: string, detail: string): void {
  sendHtml(
    res,
    status,
    `<!doctype html><html><head><meta charset="utf-8"><title>${esc(title)}</title></head><body style="font-family:sans-serif;padding:2em"><h1>${esc(title)}</h1><p>${esc(detail)}</p><p><small>LINE emulator</small></p></body></html>`,
  );
}

function oauthError(res: ServerResponse, status: number, error: string, description: string): void {
  sendJson(res, status, { error, error_description: description });
}

function withParams(uri: string, params: Record<string, string>): string {
  const u = new URL(uri);
  for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
  return u.toString();
}

const LOGIN_PATHS = new Set([
  "/oauth2/v2.1/authorize",
  "/oauth2/v2.1/authorize/consent",
  "/oauth2/v2.1/token",
  "/oauth2/v2.1/verify",
  "/oauth2/v2.1/revoke",
  "/oauth2/v2.1/userinfo",
  "/v2/profile",
  "/friendship/v1/status",
  "/dialog/bot/accountLink",
  "/v2/oauth/accessToken",
  "/oauth2/v3/token",
]);

export function isLoginPath(path: string): boolean {
  return LOGIN_PATHS.has(path);
}

export function loginOperationId(req: ParsedRequest): string {
  return "login:" + req.method + " " + req.path;
}

/** Handles LINE Login / account link requests. Returns false if the path is not a login path. */
export async function handleLogin(req: ParsedRequest, res: ServerResponse, deps: LoginDeps): Promise<boolean> {
  const { state } = deps;
  const p = req.path;
  if (p === "/oauth2/v2.1/authorize" && req.method === "GET") {
    const q = req.query;
    const cs = q.client_id ? state.channelByLoginId(q.client_id) : undefined;
    if (!q.client_id || !cs) return (errorPage(res, 400, "400 Bad Request", "Invalid client_id (unknown LINE Login channel)"), true);
    if (!q.redirect_uri) return (errorPage(res, 400, "400 Bad Request", "Missing redirect_uri"), true);
    try {
      new URL(q.redirect_uri);
    } catch {
      return (errorPage(res, 400, "400 Bad Request", "Invalid redirect_uri"), true);
    }
    if (q.response_type !== "code") return (errorPage(res, 400, "400 Bad Request", "response_type must be 'code'"), true);
    if (!q.state) return (errorPage(res, 400, "400 Bad Request", "Missing state"), true);
    if (!q.scope) return (errorPage(res, 400, "400 Bad Request", "Missing scope"), true);
    const pick = q.emulator_user ?? q.login_hint;
    if (pick) {
      const userId = resolveUser(state, pick);
      if (!userId) return (errorPage(res, 400, "400 Bad Request", `Unknown emulated user ${pick}`), true);
      await completeConsent(deps, res, cs, q, userId, q.emulator_add_friend !== "0");
      return true;
    }
    sendHtml(res, 200, consentPage(state, cs, q));
    return true;
  }
  if (p === "/oauth2/v2.1/authorize/consent" && req.method === "POST") {
    const f = parseForm(req);
    const cs = f.client_id ? state.channelByLoginId(f.client_id) : undefined;
    if (!cs || !f.redirect_uri || !f.state) return (errorPage(res, 400, "400 Bad Request", "Invalid consent submission"), true);
    if (f.action === "cancel") {
      redirect(
        res,
        withParams(f.redirect_uri, {
          error: "access_denied",
          error_description: "The resource owner denied the request.",
          state: f.state,
        }),
      );
      return true;
    }
    const userId = resolveUser(state, f.userId || f.user || "");
    if (!userId) return (errorPage(res, 400, "400 Bad Request", "Pick a user"), true);
    await completeConsent(deps, res, cs, f, userId, f.add_friend !== "0");
    return true;
  }
  if (p === "/oauth2/v2.1/token" && req.method === "POST") {
    const f = parseForm(req);
    if (f.grant_type === "authorization_code") {
      const code = state.loginCodes.get(f.code ?? "");
      if (!code || code.used || code.expiresAt < Date.now())
        return (oauthError(res, 400, "invalid_grant", "invalid authorization code"), true);
      if (code.redirectUri !== f.redirect_uri) return (oauthError(res, 400, "invalid_grant", "redirect_uri does not match"), true);
      const cs = state.channelByLoginId(f.client_id ?? "");
      if (!cs || f.client_id !== code.clientId || cs.channel.loginChannelSecret !== f.client_secret)
        return (oauthError(res, 400, "invalid_client", "invalid client_id or client_secret"), true);
      code.used = true;
      sendJson(res, 200, issueTokens(state, cs, code.userId, code.scope, code.nonce), { "cache-control": "no-store", pragma: "no-cache" });
      return true;
    }
    if (f.grant_type === "refresh_token") {
      const access = state.loginRefreshTokens.get(f.refresh_token ?? "");
      const old = access ? state.loginTokens.get(access) : undefined;
      const cs = state.channelByLoginId(f.client_id ?? "");
      if (!old || !cs || old.clientId !== f.client_id) return (oauthError(res, 400, "invalid_grant", "invalid refresh token"), true);
      state.loginTokens.delete(old.token);
      state.loginRefreshTokens.delete(old.refreshToken);
      const t = issueTokens(state, cs, old.userId, old.scope, undefined);
      delete (t as Record<string, unknown>).id_token;
      sendJson(res, 200, t);
      return true;
    }
    oauthError(
      res,
      400,
      "unsupported_grant_type",
      "grant_type must be authorization_code or refresh_token (channel access token endpoints are not emulated)",
    );
    return true;
  }
  if (p === "/oauth2/v2.1/verify" && req.method === "POST") {
    const f = parseForm(req);
    const cs = state.channelByLoginId(f.client_id ?? "");
    if (!f.id_token || !f.client_id || !cs?.channel.loginChannelSecret)
      return (oauthError(res, 400, "invalid_request", "Invalid IdToken."), true);
    const claims = verifyJwtHs256(f.id_token, cs.channel.loginChannelSecret);
    if (!claims) return (oauthError(res, 400, "invalid_request", "Invalid IdToken."), true);
    if (claims.aud !== f.client_id) return (oauthError(res, 400, "invalid_request", "Invalid IdToken Audience."), true);
    if (typeof claims.exp === "number" && claims.exp * 1000 < Date.now())
      return (oauthError(res, 400, "invalid_request", "IdToken expired."), true);
    if (f.nonce !== undefined && f.nonce !== claims.nonce) return (oauthError(res, 400, "invalid_request", "Invalid IdToken Nonce."), true);
    if (f.user_id !== undefined && f.user_id !== claims.sub)
      return (oauthError(res, 400, "invalid_request", "Invalid IdToken Subject Identifier."), true);
    sendJson(res, 200, claims);
    return true;
  }
  if (p === "/oauth2/v2.1/verify" && req.method === "GET") {
    const t = state.loginTokens.get(req.query.access_token ?? "");
    if (!t || t.expiresAt < Date.now()) return (oauthError(res, 400, "invalid_request", "access token expired"), true);
    sendJson(res, 200, {
      scope: t.scope,
      client_id: t.clientId,
      expires_in: Math.floor((t.expiresAt - Date.now()) / 1000),
    });
    return true;
  }
  if (p === "/oauth2/v2.1/revoke" && req.method === "POST") {
    const f = parseForm(req);
    const t = state.loginTokens.get(f.access_token ?? "");
    if (t) {
      state.loginTokens.delete(t.token);
      state.loginRefreshTokens.delete(t.refreshToken);
    }
    res.writeHead(200, { "content-length": 0 });
    res.end();
    return true;
  }
  if ((p === "/v2/profile" || p === "/oauth2/v2.1/userinfo" || p === "/friendship/v1/status") && req.method === "GET") {
    const t = state.loginTokens.get(bearer(req) ?? "");
    if (!t || t.expiresAt < Date.now()) return (sendJson(res, 401, { message: "invalid token" }), true);
    const u = state.users.get(t.userId);
    if (p === "/v2/profile")
      sendJson(res, 200, {
        userId: t.userId,
        displayName: u?.displayName ?? "",
        pictureUrl: u?.pictureUrl,
        statusMessage: u?.statusMessage,
      });
    else if (p === "/oauth2/v2.1/userinfo")
      sendJson(res, 200, {
        sub: t.userId,
        name: u?.displayName ?? "",
        picture: u?.pictureUrl,
      });
    else {
      const cs = state.channelByLoginId(t.clientId);
      sendJson(res, 200, {
        friendFlag: !!cs && state.friendship(cs, t.userId) === "friend",
      });
    }
    return true;
  }
  if ((p === "/v2/oauth/accessToken" || p === "/oauth2/v3/token") && req.method === "POST") {
    // Channel access tokens: short-lived (v2, 30 days) and stateless (v3, 15 min) via client_credentials + channel secret.
    const f = parseForm(req);
    const cs = state.getChannel(f.client_id ?? "");
    if (f.grant_type !== "client_credentials")
      return (oauthError(res, 400, "unsupported_grant_type", "grant_type must be client_credentials"), true);
    if (!cs || cs.channel.channelSecret !== f.client_secret)
      return (oauthError(res, 400, "invalid_client", "invalid client_id or client_secret"), true);
    const token = newToken(64);
    state.tokenIndex.set(token, cs.channel.channelId);
    const expiresIn = p === "/oauth2/v3/token" ? 900 : 30 * 24 * 3600;
    sendJson(
      res,
      200,
      p === "/oauth2/v3/token"
        ? { token_type: "Bearer", access_token: token, expires_in: expiresIn }
        : { access_token: token, expires_in: expiresIn, token_type: "Bearer" },
    );
    return true;
  }
  if (p === "/dialog/bot/accountLink" && req.method === "GET") {
    const { linkToken, nonce } = req.query;
    const info = linkToken ? state.linkTokens.get(linkToken) : undefined;
    if (!info) return (errorPage(res, 400, "Account link failed", "Unknown link token"), true);
    const cs = state.getChannel(info.channelId);
    if (!cs) return (errorPage(res, 400, "Account link failed", "Channel no longer exists"), true);
    const valid = !info.used && info.expiresAt >= Date.now() && !!nonce;
    info.used = true;
    const r = await deps.sendEvents(cs, [
      {
        type: "accountLink",
        userId: info.userId,
        link: { result: valid ? "ok" : "failed", nonce: nonce ?? "" },
      },
    ]);
    sendHtml(
      res,
      valid ? 200 : 400,
      `<!doctype html><html><head><meta charset="utf-8"><title>Account link</title></head><body style="font-family:sans-serif;padding:2em">` +
        `<h1>${valid ? "Account linked" : "Account link failed"}</h1><p>LINE user <code>${esc(info.userId)}</code>, nonce <code>${esc(nonce)}</code></p>` +
        `<p>accountLink webhook → ${esc(r.status ?? r.error ?? "not sent")}</p></body></html>`,
    );
    return true;
  }
  return false;
}

function resolveUser(state: EmulatorState, pick: string): string | undefined {
  if (state.users.has(pick)) return pick;
  if (USER_ID_RE.test(pick)) return state.createUser({ userId: pick }).userId;
  for (const u of state.users.values()) if (u.displayName === pick) return u.userId;
  return undefined;
}

async function completeConsent(
  deps: LoginDeps,
  res: ServerResponse,
  cs: ChannelState,
  q: Record<string, string>,
  userId: string,
  addFriend: boolean,
): Promise<void> {
  const { state } = deps;
  let friendshipStatusChanged = false;
  const botPrompt = q.bot_prompt;
  if ((botPrompt === "normal" || botPrompt === "aggressive") && addFriend && state.friendship(cs, userId) !== "friend") {
    friendshipStatusChanged = true;
    const r = await deps.sendEvents(cs, [{ type: "follow", userId }]); // sets friendship
    deps.log(`login bot_prompt: follow webhook for ${userId} → ${r.status ?? r.error}`);
  }
  const code = newToken(15);
  state.loginCodes.set(code, {
    code,
    clientId: q.client_id,
    redirectUri: q.redirect_uri,
    userId,
    scope: q.scope ?? "profile",
    nonce: q.nonce || undefined,
    expiresAt: Date.now() + LOGIN_CODE_TTL_MS,
    used: false,
    friendshipStatusChanged,
  });
  const params: Record<string, string> = { code, state: q.state };
  if (botPrompt) params.friendship_status_changed = String(friendshipStatusChanged);
  redirect(res, withParams(q.redirect_uri, params));
}

function issueTokens(state: EmulatorState, cs: ChannelState, userId: string, scope: string, nonce: string | undefined) {
  const token = newToken(32);
  const refreshToken = newToken(24);
  const now = Date.now();
  state.loginTokens.set(token, {
    token,
    clientId: cs.channel.loginChannelId!,
    userId,
    scope,
    expiresAt: now + LOGIN_ACCESS_TOKEN_TTL_S * 1000,
    refreshToken,
  });
  state.loginRefreshTokens.set(refreshToken, token);
  const out: Record<string, unknown> = {
    access_token: token,
    token_type: "Bearer",
    refresh_token: refreshToken,
    expires_in: LOGIN_ACCESS_TOKEN_TTL_S,
    scope,
  };
  if (scope.split(/\s+/).includes("openid")) {
    const u = state.users.get(userId);
    const iat = Math.floor(now / 1000);
    const claims: Record<string, unknown> = {
      iss: "https://access.line.me",
      sub: userId,
      aud: cs.channel.loginChannelId,
      exp: iat + ID_TOKEN_TTL_S,
      iat,
      amr: ["pwd"],
    };
    if (nonce) claims.nonce = nonce;
    if (u) {
      claims.name = u.displayName;
      if (u.pictureUrl) claims.picture = u.pictureUrl;
    }
    out.id_token = signJwtHs256(claims, cs.channel.loginChannelSecret!);
  }
  return out;
}

function consentPage(state: EmulatorState, cs: ChannelState, q: Record<string, string>): string {
  const hidden = Object.entries(q)
    .map(([k, v]) => `<input type="hidden" name="${esc(k)}" value="${esc(v)}">`)
    .join("");
  const users = [...state.users.values()].slice(0, 200);
  const rows = users
    .map(
      (u, i) =>
        `<label style="display:block;padding:6px;border-bottom:1px solid #eee"><input type="radio" name="userId" value="${esc(u.userId)}"${i === 0 ? " checked" : ""}> ${esc(u.displayName)} <small style="color:#888">${esc(u.userId)} · ${state.friendship(cs, u.userId)}</small></label>`,
    )
    .join("");
  const botPrompt = q.bot_prompt === "normal" || q.bot_prompt === "aggressive";
  return `<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>LINE Login (emulator)</title></head>
<body style="font-family:sans-serif;max-width:480px;margin:2em auto">
<h2 style="color:#06c755">LINE Login (emulator)</h2>
<p>${esc(cs.channel.displayName)} (login channel ${esc(q.client_id)}) requests: <code>${esc(q.scope)}</code></p>
<form method="post" action="/oauth2/v2.1/authorize/consent">${hidden}
<fieldset><legend>Log in as</legend>${rows || "<p>No emulated users yet.</p>"}
<p>or user ID: <input name="user" placeholder="U0123…" size="36"></p></fieldset>
${botPrompt ? `<p><input type="hidden" name="add_friend" value="0"><label><input type="checkbox" name="add_friend" value="1" checked> Add ${esc(cs.channel.displayName)} as a friend</label></p>` : ""}
<button name="action" value="allow" style="background:#06c755;color:#fff;border:0;padding:10px 24px">Allow</button>
<button name="action" value="cancel">Cancel</button>
</form></body></html>`;
}

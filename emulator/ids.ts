import crypto from "node:crypto";

export const hex = (bytes: number): string => crypto.randomBytes(bytes).toString("hex");
export const newUserId = (): string => "U" + hex(16);
export const newRichMenuId = (): string => "richmenu-" + hex(16);
export const newRequestId = (): string => crypto.randomUUID();
export const newChannelSecret = (): string => hex(16);
export const newChannelId = (): string => String(1_000_000_000 + crypto.randomInt(0, 999_999_999));
export const newAccessToken = (): string => crypto.randomBytes(96).toString("base64url");
export const newToken = (bytes = 24): string => crypto.randomBytes(bytes).toString("base64url");
let msgSeq = BigInt(Date.now()) * 1000n;
export const newMessageId = (): string => String(++msgSeq);

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/** ULID: 10 chars time + 16 chars randomness (Crockford base32) = 26 chars. */
export function newUlid(now = Date.now()): string {
  let t = now;
  let timePart = "";
  for (let i = 0; i < 10; i++) {
    timePart = CROCKFORD[t % 32] + timePart;
    t = Math.floor(t / 32);
  }
  const rnd = crypto.randomBytes(16);
  let randPart = "";
  for (let i = 0; i < 16; i++) randPart += CROCKFORD[rnd[i] % 32];
  return timePart + randPart;
}

export const USER_ID_RE = /^U[0-9a-f]{32}$/;
export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

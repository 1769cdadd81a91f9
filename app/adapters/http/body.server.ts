// Reading request bodies with a byte cap (domain/http/body-limits.ts): a declared Content-Length over
// the cap is refused before a byte is read, and a body without one is read chunk by chunk and
// abandoned as soon as it passes the cap. Memory per request is bounded by the cap, and nothing is
// verified, parsed or stored before the cap is checked.
import type { IncomingMessage } from "node:http";

export class PayloadTooLargeError extends Error {
  constructor(readonly limit: number) {
    super(`request body larger than ${limit} bytes`);
    this.name = "PayloadTooLargeError";
  }
}

/** 413 with `Connection: close`, so the client stops sending and the connection is not reused. */
export function payloadTooLargeResponse(limit: number): Response {
  return new Response(`payload too large (limit ${limit} bytes)`, {
    status: 413,
    headers: { "content-type": "text/plain", connection: "close" },
  });
}

function declaredTooLarge(contentLength: string | null | undefined, limit: number): boolean {
  if (!contentLength) return false;
  const n = Number(contentLength);
  return !Number.isFinite(n) || n > limit;
}

/**
 * The whole body of a Node request as one Buffer of at most `limit` bytes.
 * Throws PayloadTooLargeError (the request is left paused and unread; answer 413 and close).
 */
export function readNodeBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  if (declaredTooLarge(req.headers["content-length"], limit)) return Promise.reject(new PayloadTooLargeError(limit));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = () => {
      req.off("data", onData);
      req.off("end", onEnd);
      req.off("error", onError);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        req.pause();
        chunks.length = 0;
        reject(new PayloadTooLargeError(limit));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    };
    const onError = (err: Error) => {
      cleanup();
      reject(err);
    };
    req.on("data", onData);
    req.on("end", onEnd);
    req.on("error", onError);
  });
}

/**
 * The whole body of a Fetch Request (a Remix action) as one Buffer of at most `limit` bytes; the
 * same rule as readNodeBody for code reached without the web process's ingress (tests, other adapters).
 */
export async function readRequestBody(request: Request, limit: number): Promise<Buffer> {
  if (declaredTooLarge(request.headers.get("content-length"), limit)) throw new PayloadTooLargeError(limit);
  if (!request.body) return Buffer.alloc(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      throw new PayloadTooLargeError(limit);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, size);
}

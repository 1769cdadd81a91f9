// React 18's streaming renderer (react-dom/server renderToPipeableStream, 18.3.1) can emit NUL bytes:
// when a text chunk does not fit its 2,048-byte buffer, writeStringChunk flushes the WHOLE buffer,
// including the 1–2 bytes a multibyte character (Japanese, Chinese, Thai: 3 bytes in UTF-8) left
// unused at its end. Browsers turn those NULs into U+FFFD, so a merchant saw "再�開" or "、��お久しぶり"
// at random places of a page. (Fixed upstream in React 19, which flushes only the written bytes.)
// A NUL byte never occurs inside a UTF-8 multibyte sequence and has no place in an HTML document
// (HTML Standard, "unexpected-null-character"), so dropping every 0x00 restores the intended text.
import { Transform } from "node:stream";

/** `chunk` without its 0x00 bytes (the same Buffer when it has none). */
export function withoutNulBytes(chunk: Buffer): Buffer {
  if (chunk.indexOf(0) === -1) return chunk;
  const out = Buffer.allocUnsafe(chunk.length);
  let n = 0;
  for (const byte of chunk) if (byte !== 0) out[n++] = byte;
  return out.subarray(0, n);
}

/** A stream to pipe React's HTML through: passes every chunk on without NUL bytes (see above). */
export function htmlWithoutNulBytes(): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      done(null, withoutNulBytes(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk)));
    },
  });
}

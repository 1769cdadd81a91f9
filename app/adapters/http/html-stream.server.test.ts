import { PassThrough, type Readable } from "node:stream";
import { createElement } from "react";
import { renderToPipeableStream } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { htmlWithoutNulBytes, withoutNulBytes } from "./html-stream.server";

async function render(children: string[], through?: () => NodeJS.ReadWriteStream): Promise<Buffer> {
  const el = createElement("main", null, ...children.map((text, i) => createElement("p", { key: i }, text)));
  return new Promise((resolve, reject) => {
    const { pipe } = renderToPipeableStream(el, {
      onAllReady() {
        const sink = new PassThrough();
        const chunks: Buffer[] = [];
        sink.on("data", (c: Buffer) => chunks.push(c));
        sink.on("end", () => resolve(Buffer.concat(chunks)));
        if (through) pipe(through()).pipe(sink) as unknown as Readable;
        else pipe(sink);
      },
      onShellError: reject,
    });
  });
}

/** Pages of Japanese text in paragraphs of varied length: some paragraph ends up across React's 2,048-byte buffer. */
const JAPANESE = Array.from({ length: 40 }, (_, i) => "x".repeat(i % 7) + "配信再開お久しぶりです".repeat(3 + (i % 5)));

describe("HTML stream without NUL bytes", () => {
  it("React 18's renderer leaves NUL bytes in multibyte text at buffer boundaries (the fault)", async () => {
    const raw = await render(JAPANESE);
    expect(raw.indexOf(0)).toBeGreaterThan(-1);
  });

  it("piped through htmlWithoutNulBytes the page is exactly the text rendered, with no U+FFFD", async () => {
    const clean = (await render(JAPANESE, htmlWithoutNulBytes)).toString("utf8");
    expect(clean).not.toContain("\u0000");
    expect(clean).not.toContain("\uFFFD");
    for (const text of JAPANESE) expect(clean).toContain(`<p>${text}</p>`);
  });

  it("withoutNulBytes drops only 0x00 and returns the same buffer when there is none", () => {
    const b = Buffer.from("お久しぶり", "utf8");
    expect(withoutNulBytes(b)).toBe(b);
    expect(withoutNulBytes(Buffer.concat([b.subarray(0, 3), Buffer.from([0, 0]), b.subarray(3)])).toString("utf8")).toBe("お久しぶり");
  });
});

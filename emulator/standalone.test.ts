import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { messagingApi } from "@line/bot-sdk";
import { LineEmulatorClient } from "./client.js";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
let child: ChildProcess | undefined;

afterAll(() => {
  if (child && child.exitCode === null) child.kill("SIGKILL");
});

function readFirstLine(c: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let buf = "";
    let err = "";
    c.stderr!.on("data", (d: Buffer) => (err += d.toString()));
    c.stdout!.on("data", (d: Buffer) => {
      buf += d.toString();
      const i = buf.indexOf("\n");
      if (i >= 0) resolve(buf.slice(0, i));
    });
    c.once("exit", (code) => reject(new Error(`emulator exited early (${code}): ${err}`)));
  });
}

describe("standalone emulator (emulator/main.ts) + control client", () => {
  it("starts on port 0, prints its URL, serves the SDK and the control API, stops on SIGTERM", async () => {
    child = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        "emulator/main.ts",
        "--port",
        "0",
        "--channel",
        JSON.stringify({
          channelId: "1234567890",
          channelAccessToken: "test-token",
        }),
      ],
      {
        cwd: repoRoot,
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    const info = JSON.parse(await readFirstLine(child)) as {
      url: string;
      channels: Array<{ channelId: string }>;
    };
    expect(info.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(info.channels[0].channelId).toBe("1234567890");

    const ctl = new LineEmulatorClient(info.url);
    expect((await ctl.health()).ok).toBe(true);
    const user = await ctl.createUser({
      displayName: "Remote",
      friendOf: ["1234567890"],
    });
    const sdk = new messagingApi.MessagingApiClient({
      channelAccessToken: "test-token",
      baseURL: info.url,
    });
    await sdk.pushMessage({
      to: user.userId,
      messages: [{ type: "text", text: "from another process" }],
    });
    const st = await ctl.getUserState("1234567890", user.userId);
    expect(st.friendship).toBe("friend");
    expect(st.messages.map((m) => m.message.text)).toEqual(["from another process"]);
    expect((await ctl.getRequests("1234567890", { operationId: "pushMessage" })).requests).toHaveLength(1);
    await expect(ctl.getChannel("nope")).rejects.toMatchObject({ status: 404 });

    const exited = new Promise<number | null>((resolve) => child!.once("exit", (code) => resolve(code)));
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
  }, 120_000); // spawns tsx: compiling the emulator takes tens of seconds on a loaded 2-core machine
});

/**
 * Standalone LINE emulator.
 *   tsx emulator/main.ts [--port 9090] [--host 127.0.0.1] [--spec-dir DIR] [--channel '{"channelId":"…","webhookUrl":"…"}'] [--verbose]
 * Prints one JSON line {url, apiBaseUrl, dataBaseUrl, loginBaseUrl, channels} on stdout; stops on SIGTERM/SIGINT.
 */
import { startLineEmulator } from "./server.js";

function parseArgs(argv: string[]) {
  const out: {
    port?: number;
    host?: string;
    specDir?: string;
    channels: Record<string, unknown>[];
    verbose: boolean;
  } = { channels: [], verbose: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`missing value for ${a}`);
      return v;
    };
    if (a === "--port") out.port = Number(next());
    else if (a === "--host") out.host = next();
    else if (a === "--spec-dir") out.specDir = next();
    else if (a === "--channel") out.channels.push(JSON.parse(next()) as Record<string, unknown>);
    else if (a === "--verbose" || a === "-v") out.verbose = true;
    else if (a === "--help" || a === "-h") {
      process.stderr.write(
        "usage: tsx emulator/main.ts [--port 9090] [--host 127.0.0.1] [--spec-dir DIR] [--channel JSON]... [--verbose]\n",
      );
      process.exit(0);
    } else throw new Error(`unknown argument ${a}`);
  }
  return out;
}

const args = parseArgs(process.argv.slice(2));
const emu = await startLineEmulator({
  port: args.port ?? (process.env.LINE_EMULATOR_PORT ? Number(process.env.LINE_EMULATOR_PORT) : 9090),
  host: args.host,
  specDir: args.specDir,
  log: args.verbose ? (m) => process.stderr.write(`[line-emulator] ${m}\n`) : undefined,
});
const channels = args.channels.map((c) => emu.state.createChannel(c));
process.stdout.write(
  JSON.stringify({
    url: emu.url,
    apiBaseUrl: emu.apiBaseUrl,
    dataBaseUrl: emu.dataBaseUrl,
    loginBaseUrl: emu.loginBaseUrl,
    channels,
  }) + "\n",
);

let closing = false;
const stop = () => {
  if (closing) return;
  closing = true;
  emu.close().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);

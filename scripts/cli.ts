// `npm run cli -- <command> [--flags]`: JSON on stdout for scripting; logs on stderr.
// Exit codes: 0 success, 1 command failed, 2 usage error. Errors are JSON too: {"error": "..."}.
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { pathToFileURL } from "node:url";
import type { CliCommand } from "./cli/types";
import { UsageError } from "./cli/types";

process.env.LOG_DESTINATION ??= "stderr";
process.env.LOG_LEVEL ??= "warn";

async function loadCommands(): Promise<Map<string, CliCommand>> {
  const dir = path.join(import.meta.dirname, "cli", "commands");
  const commands = new Map<string, CliCommand>();
  for (const file of fs.readdirSync(dir).sort()) {
    if (!file.endsWith(".ts") || file.endsWith(".test.ts")) continue;
    const mod = (await import(pathToFileURL(path.join(dir, file)).href)) as { command?: CliCommand; commands?: CliCommand[] };
    for (const c of [mod.command, ...(mod.commands ?? [])]) if (c) commands.set(c.name, c);
  }
  return commands;
}

function usage(commands: Map<string, CliCommand>): string {
  const lines = ["Usage: npm run cli -- <command> [options]", "", "Commands:"];
  for (const c of commands.values()) {
    lines.push(`  ${c.name.padEnd(18)} ${c.description}`);
    for (const [k, o] of Object.entries(c.options))
      lines.push(`      --${k}${o.type === "string" ? " <value>" : ""}${o.required ? " (required)" : ""}  ${o.description}`);
  }
  return lines.join("\n");
}

function print(value: unknown) {
  process.stdout.write(`${JSON.stringify(value, (_k, v) => (typeof v === "bigint" ? v.toString() : v), 2)}\n`);
}

async function main(argv: string[]): Promise<number> {
  const commands = await loadCommands();
  const [name, ...rest] = argv;
  if (!name || name === "help" || name === "--help") {
    process.stderr.write(`${usage(commands)}\n`);
    return name ? 0 : 2;
  }
  const command = commands.get(name);
  if (!command) {
    print({ error: `Unknown command "${name}"`, commands: [...commands.keys()] });
    return 2;
  }
  let values: Record<string, string | boolean | string[] | undefined>;
  try {
    const parsed = parseArgs({
      args: rest,
      options: Object.fromEntries(Object.entries(command.options).map(([k, o]) => [k, { type: o.type, multiple: o.multiple ?? false }])),
      strict: true,
      allowPositionals: false,
    });
    values = parsed.values as typeof values;
    for (const [k, o] of Object.entries(command.options))
      if (o.required && values[k] === undefined) throw new UsageError(`--${k} is required`);
  } catch (err) {
    print({ error: err instanceof Error ? err.message : String(err), usage: usage(new Map([[name, command]])) });
    return 2;
  }

  let stop: (() => Promise<void>) | undefined;
  try {
    if (command.needsServices !== false) {
      const { bootstrap } = await import("../app/adapters/infra/bootstrap.server");
      const services = await bootstrap();
      stop = services.stop;
    }
    print(await command.run(values));
    return 0;
  } catch (err) {
    print({ error: err instanceof Error ? err.message : String(err) });
    return err instanceof UsageError ? 2 : 1;
  } finally {
    const { closeQueues } = await import("../app/adapters/queue/queues.server");
    const { disconnectDb } = await import("../app/db.server");
    await closeQueues().catch(() => {});
    await disconnectDb().catch(() => {});
    await stop?.();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code || Number(process.exitCode ?? 0)),
  (err) => {
    print({ error: String(err) });
    process.exit(1);
  },
);

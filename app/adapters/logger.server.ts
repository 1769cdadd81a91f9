// One structured logger. Log identifiers (shop, job, webhook id), never names, emails or message text.
import pino from "pino";
import { env } from "~/config/env.server";

let root: pino.Logger | undefined;

export function logger(): pino.Logger {
  const e = env();
  root ??= pino({ level: e.LOG_LEVEL, base: { pid: process.pid } }, pino.destination(e.LOG_DESTINATION === "stderr" ? 2 : 1));
  return root;
}

export function childLogger(bindings: Record<string, unknown>): pino.Logger {
  return logger().child(bindings);
}

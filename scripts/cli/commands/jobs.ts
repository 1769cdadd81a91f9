import type { CliCommand } from "../types";
import { UsageError } from "../types";
import { waitForIdleQueues } from "../../../app/services/jobs-wait.server";

export const command: CliCommand = {
  name: "jobs:wait",
  description: "Return when every queue is idle (exit 1 with idle:false on timeout)",
  options: {
    timeout: { type: "string", description: "seconds to wait (default 60)" },
    "include-delayed-within": {
      type: "string",
      description: "also wait for delayed jobs (retries, reminders) due within this many seconds (default 30)",
    },
  },
  async run(args) {
    const timeout = Number(args.timeout ?? 60);
    const within = Number(args["include-delayed-within"] ?? 30);
    if (!Number.isFinite(timeout) || timeout < 0) throw new UsageError("--timeout must be a number of seconds");
    if (!Number.isFinite(within) || within < 0) throw new UsageError("--include-delayed-within must be a number of seconds");
    const result = await waitForIdleQueues({ timeoutMs: timeout * 1000, includeDelayedWithinMs: within * 1000 });
    if (!result.idle) {
      process.exitCode = 1;
    }
    return result;
  },
};

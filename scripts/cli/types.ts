// A CLI command: one file per command under scripts/cli/commands/, discovered at start-up.
export interface CommandOption {
  type: "string" | "boolean";
  description: string;
  required?: boolean;
  multiple?: boolean;
}

export interface CliCommand {
  name: string; // "area:verb"
  description: string;
  options: Record<string, CommandOption>;
  /** Returns a JSON-serialisable result printed on stdout. Throw UsageError for bad input. */
  run(args: Record<string, string | boolean | string[] | undefined>): Promise<unknown>;
  /** Commands that need no database/Redis (e.g. pure validation) can opt out of bootstrapping. */
  needsServices?: boolean;
}

export class UsageError extends Error {}

export function requireString(args: Record<string, unknown>, key: string): string {
  const v = args[key];
  if (typeof v !== "string" || !v) throw new UsageError(`--${key} is required`);
  return v;
}

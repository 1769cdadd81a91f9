import type { CliCommand } from "../types";
import { reencryptSecrets } from "../../../app/services/secrets/reencrypt.server";

export const command: CliCommand = {
  name: "secrets:reencrypt",
  description:
    "Re-encrypt every stored secret (LINE credentials, Shopify session tokens) with ENCRYPTION_KEY; " +
    "old values open with ENCRYPTION_KEY_PREVIOUS. Also migrates plaintext and v1-format values.",
  options: {},
  async run() {
    const report = await reencryptSecrets();
    if (report.unreadable.length) process.exitCode = 1;
    return report;
  },
};

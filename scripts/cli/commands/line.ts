import type { CliCommand } from "../types";
import { requireString } from "../types";
import { connectLineChannel } from "../../../app/services/shops.server";

export const command: CliCommand = {
  name: "line:connect",
  description: "Store the shop's LINE channel (secrets encrypted) and print its LINE webhook URL",
  options: {
    shop: { type: "string", required: true, description: "shop domain" },
    "channel-id": { type: "string", required: true, description: "Messaging API channel ID" },
    "channel-secret": { type: "string", required: true, description: "Messaging API channel secret" },
    "channel-access-token": { type: "string", required: true, description: "long-lived channel access token" },
    "login-channel-id": { type: "string", description: "LINE Login channel ID (for linking at checkout)" },
    "login-channel-secret": { type: "string", description: "LINE Login channel secret" },
  },
  run(args) {
    return connectLineChannel({
      domain: requireString(args, "shop"),
      channelId: requireString(args, "channel-id"),
      channelSecret: requireString(args, "channel-secret"),
      channelAccessToken: requireString(args, "channel-access-token"),
      loginChannelId: args["login-channel-id"] as string | undefined,
      loginChannelSecret: args["login-channel-secret"] as string | undefined,
    });
  },
};

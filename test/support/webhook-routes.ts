// The Shopify webhook routes as shopify.app.toml declares them (the contract), for tests that walk
// every route.
import fs from "node:fs";
import path from "node:path";
import type { HotPost } from "~/adapters/http/ingress.server";

export type WebhookRoute = {
  topic: string;
  hotPath: boolean;
  action: (args: { request: Request; params: object; context: object }) => Promise<Response>;
  hotPost?: HotPost;
};

/** shopify.app.toml subscriptions: topic → uri (one route per topic). */
export function subscriptions(): Array<{ topic: string; uri: string }> {
  const toml = fs.readFileSync(path.resolve(import.meta.dirname, "../../shopify.app.toml"), "utf8");
  const out: Array<{ topic: string; uri: string }> = [];
  for (const block of toml.split("[[webhooks.subscriptions]]").slice(1)) {
    const topics = /(?:compliance_)?topics\s*=\s*\[([^\]]*)\]/
      .exec(block)![1]!
      .match(/"([^"]+)"/g)!
      .map((t) => t.slice(1, -1));
    const uri = /uri\s*=\s*"([^"]+)"/.exec(block)![1]!;
    for (const topic of topics) out.push({ topic, uri });
  }
  return out;
}

export async function routeFor(uri: string): Promise<WebhookRoute> {
  const name = uri.slice(1).replaceAll("/", ".");
  return (await import(`../../app/routes/${name}.tsx`)) as WebhookRoute;
}

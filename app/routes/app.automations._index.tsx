// Automations list: one card row per automation with its on/off switch and a short result line.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { Badge, BlockStack, Button, Card, InlineStack, Layout, Page, Text } from "@shopify/polaris";
import { requireAdmin } from "~/adapters/shopify/admin-auth.server";
import { automationsOverview, setAutomationEnabled } from "~/services/automations/abandoned-cart-admin.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  return json(await automationsOverview(shop));
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  const form = await request.formData();
  await setAutomationEnabled(shop, String(form.get("kind") ?? ""), form.get("enabled") === "true");
  return json({ ok: true });
};

export default function Automations() {
  const { entries, policy, timezone } = useLoaderData<typeof loader>();
  return (
    <Page title="Automations" subtitle="Messages sent automatically to LINE friends">
      <Layout>
        <Layout.Section>
          <BlockStack gap="300">
            {entries.map((e) => (
              <Card key={e.kind}>
                <InlineStack align="space-between" blockAlign="center">
                  <BlockStack gap="100">
                    <InlineStack gap="200" blockAlign="center">
                      <Link to={e.url}>
                        <Text as="h2" variant="headingMd">
                          {e.title}
                        </Text>
                      </Link>
                      <Badge tone={e.enabled ? "success" : undefined}>{e.enabled ? "On" : "Off"}</Badge>
                    </InlineStack>
                    <Text as="p" tone="subdued">
                      {e.description}
                    </Text>
                    <Text as="p">{e.summary}</Text>
                  </BlockStack>
                  {e.toggle ? (
                    <Form method="post">
                      <input type="hidden" name="kind" value={e.kind} />
                      <input type="hidden" name="enabled" value={e.enabled ? "false" : "true"} />
                      <Button submit>{e.enabled ? "Turn off" : "Turn on"}</Button>
                    </Form>
                  ) : (
                    <Button url={e.url}>Manage</Button>
                  )}
                </InlineStack>
              </Card>
            ))}
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                Shared sending rules
              </Text>
              <Text as="p">
                Quiet hours: {policy.quietHours ? `${policy.quietHours.start}–${policy.quietHours.end} (${timezone})` : "none"}
              </Text>
              <Text as="p">
                Frequency cap:{" "}
                {policy.frequencyCap
                  ? `at most ${policy.frequencyCap.max} marketing messages per ${policy.frequencyCap.windowDays} days`
                  : "none"}
              </Text>
              <Text as="p" tone="subdued">
                Applies to broadcasts and every automation. Edit on the Abandoned cart page.
              </Text>
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Badge, BlockStack, Card, InlineGrid, Layout, Page, Text } from "@shopify/polaris";
import { requireAdmin } from "~/adapters/shopify/admin-auth.server";
import { shopOverview } from "~/services/overview.server";
import { useTranslation } from "react-i18next";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  return json(await shopOverview(shop));
};

function Stat({ label, value, testId }: { label: string; value: number | string; testId: string }) {
  return (
    <Card>
      <BlockStack gap="100">
        <Text as="h3" variant="headingSm" tone="subdued">
          {label}
        </Text>
        <Text as="p" variant="heading2xl" id={testId}>
          {typeof value === "number" ? value.toLocaleString() : value}
        </Text>
      </BlockStack>
    </Card>
  );
}

export default function Home() {
  const { shop, line, counts } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const linkRate = counts.friends ? `${Math.round((counts.linked / counts.friends) * 100)}%` : "–";
  return (
    <Page
      title="LINE CRM"
      subtitle={shop.name ?? shop.domain}
      primaryAction={{ content: t("assistant.entry"), url: "/app/segments#assistant" }}
    >
      <Layout>
        <Layout.Section>
          <InlineGrid columns={{ xs: 2, md: 4 }} gap="400">
            <Stat label="LINE friends" value={counts.friends} testId="stat-friends" />
            <Stat label="Linked to customers" value={counts.linked} testId="stat-linked" />
            <Stat label="Customers" value={counts.customers} testId="stat-customers" />
            <Stat label="Orders" value={counts.orders} testId="stat-orders" />
          </InlineGrid>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                LINE channel {line.connected ? <Badge tone="success">Connected</Badge> : <Badge tone="attention">Not connected</Badge>}
              </Text>
              <Text as="p">
                Following friends: {counts.following.toLocaleString()} · Link rate: {linkRate}
              </Text>
              <Text as="p" tone="subdued">
                Webhook URL: {line.webhookUrl}
              </Text>
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                Sync
              </Text>
              <Text as="p">
                Shopify deliveries received: {counts.deliveries.toLocaleString()} · needing attention: {counts.quarantined}
              </Text>
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

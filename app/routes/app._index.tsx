import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Badge, BlockStack, Box, Button, Card, InlineGrid, InlineStack, Layout, Page, ProgressBar, Text } from "@shopify/polaris";
import { useTranslation } from "react-i18next";
import { requireAdmin } from "~/adapters/shopify/admin-auth.server";
import { shopOverview } from "~/services/overview.server";
import { useFormat } from "~/components/format";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  return json(await shopOverview(shop));
};

function Stat({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <Card>
      <BlockStack gap="100">
        <Text as="h3" variant="headingSm" tone="subdued">
          {label}
        </Text>
        <Text as="p" variant="heading2xl" id={testId}>
          {value}
        </Text>
      </BlockStack>
    </Card>
  );
}

function SetupGuide() {
  const { setup } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  if (!setup.next) return null;
  return (
    <Card>
      <BlockStack gap="300">
        <Text as="h2" variant="headingMd">
          {t("home.setup.title")}
        </Text>
        <Text as="p" tone="subdued">
          {t("home.setup.progress", { done: setup.done, total: setup.total })}
        </Text>
        <ProgressBar progress={(setup.done / setup.total) * 100} size="small" tone="primary" />
        <BlockStack gap="200">
          {setup.steps.map((step) => (
            <Box
              key={step.id}
              padding="300"
              borderRadius="200"
              background={step.id === setup.next ? "bg-surface-secondary" : undefined}
              id={`setup-${step.id}`}
            >
              <BlockStack gap="200">
                <InlineStack gap="200" blockAlign="center">
                  {step.done ? <Badge tone="success">{t("home.setup.done")}</Badge> : <Badge>{t("home.setup.todo")}</Badge>}
                  <Text as="h3" variant="headingSm">
                    {t(`home.setup.steps.${step.id}.title`)}
                  </Text>
                </InlineStack>
                {step.id === setup.next && (
                  <>
                    <Text as="p">{t(`home.setup.steps.${step.id}.description`)}</Text>
                    <InlineStack>
                      <Button variant="primary" url={step.url}>
                        {t(`home.setup.steps.${step.id}.action`)}
                      </Button>
                    </InlineStack>
                  </>
                )}
              </BlockStack>
            </Box>
          ))}
        </BlockStack>
      </BlockStack>
    </Card>
  );
}

export default function Home() {
  const { shop, line, counts } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const fmt = useFormat();
  // "Linked" always means LINE friends linked to a Shopify customer (the dashboard's clicks are "click rate").
  const linkedShare = counts.friends ? fmt.percent(counts.linked / counts.friends) : "–";
  return (
    <Page
      title={t("home.title")}
      subtitle={shop.name ?? shop.domain}
      primaryAction={{ content: t("assistant.entry"), url: "/app/segments#assistant" }}
    >
      <Layout>
        <Layout.Section>
          <SetupGuide />
        </Layout.Section>
        <Layout.Section>
          <InlineGrid columns={{ xs: 2, md: 4 }} gap="400">
            <Stat label={t("home.stats.friends")} value={fmt.number(counts.friends)} testId="stat-friends" />
            <Stat label={t("home.stats.linked")} value={fmt.number(counts.linked)} testId="stat-linked" />
            <Stat label={t("home.stats.customers")} value={fmt.number(counts.customers)} testId="stat-customers" />
            <Stat label={t("home.stats.orders")} value={fmt.number(counts.orders)} testId="stat-orders" />
          </InlineGrid>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="200">
              <InlineStack gap="200" blockAlign="center">
                <Text as="h2" variant="headingMd">
                  {t("home.line.title")}
                </Text>
                {line.connected ? (
                  <Badge tone="success">{t("home.line.connected")}</Badge>
                ) : (
                  <Badge tone="attention">{t("home.line.notConnected")}</Badge>
                )}
              </InlineStack>
              <Text as="p">{t("home.line.summary", { following: fmt.number(counts.following), linkedShare })}</Text>
              <Text as="p" tone="subdued">
                {t("home.line.webhookUrl", { url: line.webhookUrl })}
              </Text>
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                {t("home.sync.title")}
              </Text>
              <Text as="p">
                {t("home.sync.summary", { received: fmt.number(counts.deliveries), attention: fmt.number(counts.quarantined) })}
              </Text>
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

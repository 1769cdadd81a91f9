import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Badge, Banner, BlockStack, Button, Card, DataTable, InlineStack, Layout, Page, ProgressBar, Text } from "@shopify/polaris";
import { requireAdmin } from "~/adapters/shopify/admin-auth.server";
import { db } from "~/db.server";
import { syncHealth } from "~/services/ingestion/sync-health.server";
import { retryDelivery } from "~/services/shopify-webhook-processing.server";
import { startBackfill } from "~/services/ingestion/backfill.server";
import { downloadDataRequestExport } from "~/services/ingestion/compliance.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  const exportId = new URL(request.url).searchParams.get("export");
  if (exportId) {
    const row = await db().shop.findUnique({ where: { domain: shop } });
    const body = row && /^\d+$/.test(exportId) ? await downloadDataRequestExport(row.id, Number(exportId)) : null;
    if (!body) throw new Response("Not found", { status: 404 });
    return new Response(JSON.stringify(body, null, 2), {
      headers: { "Content-Type": "application/json", "Content-Disposition": `attachment; filename="data-request-${exportId}.json"` },
    });
  }
  return json(await syncHealth(shop));
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  if (intent === "retry") {
    const id = Number(form.get("deliveryId"));
    if (!Number.isInteger(id) || id <= 0) return json({ message: "Invalid delivery" }, { status: 400 });
    const r = await retryDelivery(shop, id);
    return json({ message: r.status === "requeued" ? "Delivery queued again" : "This delivery cannot be retried" });
  }
  if (intent === "backfill") {
    const r = await startBackfill(shop);
    return json({ message: r.status === "started" ? "Backfill started" : "A backfill is already running" });
  }
  return json({ message: "Unknown action" }, { status: 400 });
};

const tone = (status: string) => (status === "completed" ? "success" : status === "failed" ? "critical" : "info");

export default function SyncHealth() {
  const data = useLoaderData<typeof loader>() as unknown as Awaited<ReturnType<typeof syncHealth>>;
  const result = useActionData<typeof action>();
  const busy = useNavigation().state !== "idle";
  return (
    <Page title="Sync health" subtitle="Shopify data received by the app">
      <Layout>
        {result?.message && (
          <Layout.Section>
            <Banner tone="info">{result.message}</Banner>
          </Layout.Section>
        )}
        <Layout.Section>
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                Webhook deliveries
              </Text>
              <InlineStack gap="300">
                {Object.entries(data.counts).map(([status, n]) => (
                  <Badge key={status} tone={status === "quarantined" || status === "failed" ? (n ? "critical" : undefined) : undefined}>
                    {`${status}: ${n}`}
                  </Badge>
                ))}
              </InlineStack>
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                Needs attention
              </Text>
              {data.attention.length === 0 ? (
                <Text as="p" tone="subdued">
                  Nothing is waiting: every delivery was applied.
                </Text>
              ) : (
                <DataTable
                  columnContentTypes={["text", "text", "text", "text", "text"]}
                  headings={["Topic", "Received", "Status", "Reason", ""]}
                  rows={data.attention.map((d) => [
                    d.topic,
                    new Date(d.receivedAt).toLocaleString(),
                    d.status,
                    d.error ?? "",
                    <Form method="post" key={d.id}>
                      <input type="hidden" name="intent" value="retry" />
                      <input type="hidden" name="deliveryId" value={d.id} />
                      <Button submit size="slim" disabled={busy}>
                        Retry
                      </Button>
                    </Form>,
                  ])}
                />
              )}
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <InlineStack align="space-between">
                <Text as="h2" variant="headingMd">
                  Backfill
                </Text>
                <Form method="post">
                  <input type="hidden" name="intent" value="backfill" />
                  <Button submit variant="primary" loading={busy}>
                    Run backfill
                  </Button>
                </Form>
              </InlineStack>
              {data.backfillRuns.length === 0 && (
                <Text as="p" tone="subdued">
                  No backfill has run yet.
                </Text>
              )}
              {data.backfillRuns.map((r) => (
                <BlockStack gap="100" key={r.id}>
                  <InlineStack gap="200">
                    <Text as="span">{r.kind.replace("_", " ")}</Text>
                    <Badge tone={tone(r.status)}>{r.status}</Badge>
                    <Text as="span" tone="subdued">{`${r.linesDone} lines`}</Text>
                  </InlineStack>
                  <ProgressBar progress={r.progress} size="small" tone={r.status === "failed" ? "critical" : "primary"} />
                  {r.error && (
                    <Text as="p" tone="critical">
                      {r.error}
                    </Text>
                  )}
                </BlockStack>
              ))}
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                Customer data requests
              </Text>
              {data.exports.length === 0 ? (
                <Text as="p" tone="subdued">
                  No data requests received.
                </Text>
              ) : (
                <DataTable
                  columnContentTypes={["text", "text", "text", "text"]}
                  headings={["Customer", "Received", "Downloaded", ""]}
                  rows={data.exports.map((e) => [
                    e.shopifyCustomerId,
                    new Date(e.createdAt).toLocaleString(),
                    e.downloadedAt ? new Date(e.downloadedAt).toLocaleString() : "—",
                    <Button key={e.id} url={`/app/sync-health?export=${e.id}`} target="_blank" size="slim">
                      Download
                    </Button>,
                  ])}
                />
              )}
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

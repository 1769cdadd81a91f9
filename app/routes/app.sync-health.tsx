import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Badge, Banner, BlockStack, Button, Card, DataTable, InlineStack, Layout, Page, ProgressBar, Text } from "@shopify/polaris";
import { useEffect } from "react";
import { useTranslation } from "react-i18next";
import { requireAdmin } from "~/adapters/shopify/admin-auth.server";
import { useFormat } from "~/components/format";
import { showToast } from "~/components/toast";
import { findShopByDomain } from "~/db/shops.server";
import { syncHealth } from "~/services/ingestion/sync-health.server";
import { retryDelivery } from "~/services/shopify-webhook-processing.server";
import { startBackfill } from "~/services/ingestion/backfill.server";
import { downloadDataRequestExport } from "~/services/ingestion/compliance.server";
import { parseForm, parseSearchParams } from "~/domain/forms/parse";
import { SyncHealthForm, SyncHealthQuery } from "./app.sync-health.schema";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  const query = parseSearchParams(SyncHealthQuery, request);
  if (!query.ok) throw new Response("Not found", { status: 404 });
  const exportId = query.data.export;
  if (exportId !== undefined) {
    const row = await findShopByDomain(shop);
    const body = row ? await downloadDataRequestExport(row.id, exportId) : null;
    if (!body) throw new Response("Not found", { status: 404 });
    return new Response(JSON.stringify(body, null, 2), {
      headers: { "Content-Type": "application/json", "Content-Disposition": `attachment; filename="data-request-${exportId}.json"` },
    });
  }
  return json(await syncHealth(shop));
};

/** `message`: what happened, shown as `syncHealth.messages.<message>`. */
type ActionResult = { ok: boolean; message: "requeued" | "notRetryable" | "backfillStarted" | "backfillRunning" | "invalid" };

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  const parsed = parseForm(SyncHealthForm, await request.formData());
  // Both forms are hidden fields of this page: a refusal is a stale or hand-made request, not a field to fix.
  if (!parsed.ok) return json<ActionResult>({ ok: false, message: "invalid" }, { status: 400 });
  if (parsed.data.intent === "retry") {
    const r = await retryDelivery(shop, parsed.data.deliveryId);
    return json<ActionResult>(r.status === "requeued" ? { ok: true, message: "requeued" } : { ok: false, message: "notRetryable" });
  }
  const r = await startBackfill(shop);
  return json<ActionResult>(r.status === "started" ? { ok: true, message: "backfillStarted" } : { ok: false, message: "backfillRunning" });
};

const tone = (status: string) => (status === "completed" ? "success" : status === "failed" ? "critical" : "info");
const DELIVERY_STATUSES = ["received", "processed", "stale", "quarantined", "failed"] as const;
const RUN_STATUSES = ["pending", "running", "completed", "failed"] as const;
const RUN_KINDS = ["customers", "orders", "abandoned_checkouts"] as const;

export default function SyncHealth() {
  const data = useLoaderData<typeof loader>() as unknown as Awaited<ReturnType<typeof syncHealth>>;
  const result = useActionData<typeof action>() as ActionResult | undefined;
  const busy = useNavigation().state !== "idle";
  const { t } = useTranslation();
  const format = useFormat();
  const known = <T extends string>(list: readonly T[], v: string): v is T => (list as readonly string[]).includes(v);
  const deliveryStatus = (s: string) => (known(DELIVERY_STATUSES, s) ? t(`syncHealth.deliveryStatus.${s}`) : s);
  const topic = (s: string) => t(`syncHealth.topics.${s}` as "syncHealth.topics.orders/create", { defaultValue: s });
  useEffect(() => {
    if (result?.ok) showToast(t(`syncHealth.messages.${result.message}`));
  }, [result, t]);
  return (
    <Page title={t("syncHealth.title")} subtitle={t("syncHealth.subtitle")}>
      <Layout>
        {result && !result.ok && (
          <Layout.Section>
            <Banner tone="warning">{t(`syncHealth.messages.${result.message}`)}</Banner>
          </Layout.Section>
        )}
        <Layout.Section>
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                {t("syncHealth.deliveries")}
              </Text>
              <InlineStack gap="300">
                {Object.entries(data.counts).map(([status, n]) => (
                  <Badge key={status} tone={status === "quarantined" || status === "failed" ? (n ? "critical" : undefined) : undefined}>
                    {t("syncHealth.count", { status: deliveryStatus(status), value: format.number(n) })}
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
                {t("syncHealth.attention")}
              </Text>
              {data.attention.length === 0 ? (
                <Text as="p" tone="subdued">
                  {t("syncHealth.nothingWaiting")}
                </Text>
              ) : (
                <DataTable
                  columnContentTypes={["text", "text", "text", "text", "text"]}
                  headings={[
                    t("syncHealth.columns.topic"),
                    t("syncHealth.columns.received"),
                    t("syncHealth.columns.status"),
                    t("syncHealth.columns.reason"),
                    "",
                  ]}
                  rows={data.attention.map((d) => [
                    topic(d.topic),
                    format.dateTime(d.receivedAt),
                    deliveryStatus(d.status),
                    // The stored error is for support (it can hold internals); merchants get what it means.
                    d.status === "quarantined" ? t("syncHealth.reason.quarantined") : t("syncHealth.reason.failed"),
                    <Form method="post" key={d.id}>
                      <input type="hidden" name="intent" value="retry" />
                      <input type="hidden" name="deliveryId" value={d.id} />
                      <Button submit size="slim" disabled={busy}>
                        {t("syncHealth.retry")}
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
                  {t("syncHealth.backfill.title")}
                </Text>
                <Form method="post">
                  <input type="hidden" name="intent" value="backfill" />
                  <Button submit variant="primary" loading={busy}>
                    {t("syncHealth.backfill.run")}
                  </Button>
                </Form>
              </InlineStack>
              {data.backfillRuns.length === 0 && (
                <Text as="p" tone="subdued">
                  {t("syncHealth.backfill.none")}
                </Text>
              )}
              {data.backfillRuns.map((r) => (
                <BlockStack gap="100" key={r.id}>
                  <InlineStack gap="200">
                    <Text as="span">{known(RUN_KINDS, r.kind) ? t(`syncHealth.backfill.kind.${r.kind}`) : r.kind}</Text>
                    <Badge tone={tone(r.status)}>
                      {known(RUN_STATUSES, r.status) ? t(`syncHealth.backfill.status.${r.status}`) : r.status}
                    </Badge>
                    <Text as="span" tone="subdued">
                      {t("syncHealth.backfill.lines", { count: r.linesDone, formatted: format.number(r.linesDone) })}
                    </Text>
                  </InlineStack>
                  <ProgressBar progress={r.progress} size="small" tone={r.status === "failed" ? "critical" : "primary"} />
                  {r.error && (
                    <Text as="p" tone="critical">
                      {t("syncHealth.backfill.failed")}
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
                {t("syncHealth.exports.title")}
              </Text>
              {data.exports.length === 0 ? (
                <Text as="p" tone="subdued">
                  {t("syncHealth.exports.none")}
                </Text>
              ) : (
                <DataTable
                  columnContentTypes={["text", "text", "text", "text"]}
                  headings={[t("syncHealth.exports.customer"), t("syncHealth.columns.received"), t("syncHealth.exports.downloaded"), ""]}
                  rows={data.exports.map((e) => [
                    e.shopifyCustomerId,
                    format.dateTime(e.createdAt),
                    e.downloadedAt ? format.dateTime(e.downloadedAt) : "—",
                    <Button key={e.id} url={`/app/sync-health?export=${e.id}`} target="_blank" size="slim">
                      {t("syncHealth.exports.download")}
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

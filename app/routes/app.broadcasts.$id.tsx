import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useFetcher, useLoaderData, useRevalidator } from "@remix-run/react";
import { Badge, Banner, BlockStack, Button, Card, DataTable, InlineGrid, Modal, Page, ProgressBar, Text } from "@shopify/polaris";
import { useEffect, useState } from "react";
import { broadcastText } from "~/components/broadcasts/text";
import { requireAdmin } from "~/adapters/shopify/admin-auth.server";
import { requireShop } from "~/db/shops.server";
import { BroadcastError, broadcastReport, cancelBroadcast } from "~/services/broadcasts/broadcasts.server";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  const s = await requireShop(shop);
  return json({ report: await broadcastReport(s.id, Number(params.id)), currency: s.currency, timezone: s.timezone });
};

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  const s = await requireShop(shop);
  try {
    await cancelBroadcast(s.id, Number(params.id));
  } catch (err) {
    if (err instanceof BroadcastError && err.code === "invalid_state")
      return json({ ok: false, error: broadcastText("error.invalid_state") }, { status: 409 });
    throw err;
  }
  return json({ ok: true, error: null });
};

export default function BroadcastReport() {
  const { report: r, currency, timezone } = useLoaderData<typeof loader>();
  const cancel = useFetcher<typeof action>();
  const [confirmCancel, setConfirmCancel] = useState(false);
  const when = (d: string | Date) =>
    new Intl.DateTimeFormat("en", { dateStyle: "medium", timeStyle: "short", timeZone: timezone }).format(new Date(d));
  const { revalidate, state } = useRevalidator();
  const live =
    ["preparing", "sending", "scheduled"].includes(r.status) ||
    r.ab?.holdout?.status === "preparing" ||
    r.ab?.holdout?.status === "sending";
  useEffect(() => {
    if (!live) return;
    const t = setInterval(() => state === "idle" && revalidate(), 1500);
    return () => clearInterval(t);
  }, [live, revalidate, state]);
  const stat = (label: string, value: string | number) => (
    <Card>
      <BlockStack gap="100">
        <Text as="p" tone="subdued">
          {label}
        </Text>
        <Text as="p" variant="headingLg" id={`stat-${label.toLowerCase().replace(/\s+/g, "-")}`}>
          {String(value)}
        </Text>
      </BlockStack>
    </Card>
  );
  return (
    <Page title={r.name} titleMetadata={<Badge>{r.status}</Badge>} backAction={{ url: "/app/broadcasts" }}>
      <BlockStack gap="400">
        {r.status === "scheduled" && r.scheduledAt && (
          <Banner tone="info" title={`Scheduled for ${when(r.scheduledAt)} (${timezone})`}>
            <Button tone="critical" onClick={() => setConfirmCancel(true)}>
              Cancel broadcast
            </Button>
          </Banner>
        )}
        {cancel.data?.error && <Banner tone="critical" title={cancel.data.error} />}
        <Modal
          open={confirmCancel}
          onClose={() => setConfirmCancel(false)}
          title="Cancel this broadcast?"
          primaryAction={{
            content: "Cancel broadcast",
            destructive: true,
            loading: cancel.state !== "idle",
            onAction: () => {
              cancel.submit({}, { method: "post" });
              setConfirmCancel(false);
            },
          }}
          secondaryActions={[{ content: "Keep scheduled", onAction: () => setConfirmCancel(false) }]}
        >
          <Modal.Section>
            <Text as="p">{`Nobody will get "${r.name}". This can't be undone; you can compose it again later.`}</Text>
          </Modal.Section>
        </Modal>
        <Card>
          <BlockStack gap="200">
            <Text as="h2" variant="headingMd">
              Progress
            </Text>
            <ProgressBar
              progress={Math.round(r.progress * 100)}
              tone={r.status === "failed" ? "critical" : "primary"}
              ariaLabelledBy="progress-label"
            />
            <Text
              as="p"
              id="progress-label"
            >{`${Math.round(r.progress * 100)}% · ${r.batches.sent + r.batches.failed} of ${r.batches.total} batches`}</Text>
          </BlockStack>
        </Card>
        <Text as="h2" variant="headingMd">
          Report
        </Text>
        <InlineGrid columns={{ xs: 2, md: 4 }} gap="300">
          {stat("Targeted", r.targeted)}
          {stat("Sent", r.sent)}
          {stat("Failed", r.failed)}
          {stat("Skipped at send", r.skippedAtSend)}
          {stat("Clicks", r.clicks)}
          {stat("Orders", r.orders)}
          {stat("Revenue", `${r.revenue.toLocaleString()} ${currency}`)}
          {stat("Click rate", r.sent ? `${((r.uniqueClickers / r.sent) * 100).toFixed(1)}%` : "–")}
        </InlineGrid>
        {r.ab && (
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                A/B test
              </Text>
              <Text as="p" tone="subdued">
                {`${Math.round(r.ab.testShare * 100)}% of the audience in the test · winner by ${r.ab.metric === "click" ? "click" : "order"} rate · ` +
                  (r.ab.decidedAt
                    ? `winner: ${r.ab.winner ?? "none"}`
                    : r.ab.decideAt
                      ? `decides at ${when(r.ab.decideAt)}`
                      : "decides after sending") +
                  (r.ab.sendWinnerToRest ? " · winner goes to the rest" : "")}
              </Text>
              <DataTable
                columnContentTypes={["text", "numeric", "numeric", "numeric", "numeric", "numeric", "numeric", "text"]}
                headings={["Variant", "Recipients", "Sent", "Clicks", "Orders", "Revenue", "Rate", "Winner"]}
                rows={[
                  ...r.ab.variants.map((v) => [
                    v.variant,
                    v.recipients,
                    v.sent,
                    v.clicks,
                    v.orders,
                    `${v.revenue.toLocaleString()} ${currency}`,
                    `${(v.rate * 100).toFixed(1)}%`,
                    r.ab!.winner === v.variant ? "Winner" : "",
                  ]),
                  ...(r.ab.holdout
                    ? [
                        [
                          `Rest (holdout)${r.ab.holdout.sentWinner ? ` · got ${r.ab.winner ?? "–"}` : " · not sent"}`,
                          r.ab.holdout.recipients,
                          r.ab.holdout.sent,
                          r.ab.holdout.clicks,
                          r.ab.holdout.orders,
                          `${r.ab.holdout.revenue.toLocaleString()} ${currency}`,
                          "",
                          "",
                        ],
                      ]
                    : []),
                ]}
              />
            </BlockStack>
          </Card>
        )}
        {r.failureReasons.length > 0 && (
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                Why some friends didn't get it
              </Text>
              <DataTable
                columnContentTypes={["text", "numeric"]}
                headings={["Reason", "Friends"]}
                rows={r.failureReasons.map((f) => [broadcastText(`failure.${f.reason}`), f.count])}
              />
            </BlockStack>
          </Card>
        )}
      </BlockStack>
    </Page>
  );
}

// A broadcast's report (live while sending) and, while scheduled or sending, Cancel with a confirmation
// (acts at once: no save bar). The id is parsed by BroadcastParams; another shop's or a missing id is a
// translated 404 page.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useFetcher, useLoaderData, useRevalidator } from "@remix-run/react";
import { Badge, Banner, BlockStack, Button, Card, DataTable, InlineGrid, Modal, Page, ProgressBar, Text } from "@shopify/polaris";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { useFormat } from "~/components/format";
import { NotFoundBoundary } from "~/components/NotFound";
import { requireAdmin } from "~/adapters/shopify/admin-auth.server";
import { requireShop } from "~/db/shops.server";
import { parseSearchParams } from "~/domain/forms/parse";
import { BroadcastError, broadcastReport, cancelBroadcast } from "~/services/broadcasts/broadcasts.server";
import { showToast } from "~/components/toast";
import { BroadcastParams } from "./app.broadcasts.$id.schema";

const notFound = () => new Response("Broadcast not found", { status: 404 });

/** The URL's broadcast id; a malformed one is a 404 like a missing one. */
function broadcastId(params: Record<string, string | undefined>): number {
  const parsed = parseSearchParams(BroadcastParams, params);
  if (!parsed.ok) throw notFound();
  return parsed.data.id;
}

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  const s = await requireShop(shop);
  const id = broadcastId(params);
  try {
    return json({ report: await broadcastReport(s.id, id), currency: s.currency });
  } catch (err) {
    if (err instanceof BroadcastError && err.code === "not_found") throw notFound();
    throw err;
  }
};

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  const s = await requireShop(shop);
  const id = broadcastId(params);
  try {
    await cancelBroadcast(s.id, id);
  } catch (err) {
    if (err instanceof BroadcastError && err.code === "not_found") throw notFound();
    if (err instanceof BroadcastError && err.code === "invalid_state")
      return json({ ok: false, error: "invalid_state" as const }, { status: 409 });
    throw err;
  }
  return json({ ok: true, error: null });
};

export function ErrorBoundary() {
  return <NotFoundBoundary what="broadcast" backUrl="/app/broadcasts" />;
}

export default function BroadcastReport() {
  const { report: r } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const { dateTime: when, money, number, percent, timeZone } = useFormat();
  const cancel = useFetcher<typeof action>();
  const [confirmCancel, setConfirmCancel] = useState(false);
  const { revalidate, state } = useRevalidator();
  const live =
    ["preparing", "sending", "scheduled"].includes(r.status) ||
    r.ab?.holdout?.status === "preparing" ||
    r.ab?.holdout?.status === "sending";
  useEffect(() => {
    if (!live) return;
    const timer = setInterval(() => state === "idle" && revalidate(), 1500);
    return () => clearInterval(timer);
  }, [live, revalidate, state]);
  useEffect(() => {
    if (cancel.data?.ok) showToast(t("broadcasts.report.cancelled"));
  }, [cancel.data, t]);
  const stat = (key: "targeted" | "sent" | "failed" | "skipped" | "clicks" | "orders" | "revenue" | "clickRate", value: string) => (
    <Card>
      <BlockStack gap="100">
        <Text as="p" tone="subdued">
          {t(`broadcasts.report.stats.${key}`)}
        </Text>
        <Text as="p" variant="headingLg" id={`stat-${key}`}>
          {value}
        </Text>
      </BlockStack>
    </Card>
  );
  const ab = r.ab;
  return (
    <Page
      title={r.name}
      titleMetadata={<Badge>{t(`broadcasts.status.${r.status}` as "broadcasts.status.sent")}</Badge>}
      backAction={{ url: "/app/broadcasts" }}
    >
      <BlockStack gap="400">
        {r.status === "scheduled" && r.scheduledAt && (
          <Banner tone="info" title={t("broadcasts.report.scheduledFor", { when: when(r.scheduledAt), timezone: timeZone() })}>
            <Button tone="critical" onClick={() => setConfirmCancel(true)}>
              {t("broadcasts.report.cancel")}
            </Button>
          </Banner>
        )}
        {cancel.data?.ok && <Banner tone="success" title={t("broadcasts.report.cancelled")} />}
        {cancel.data?.error && <Banner tone="critical" title={t(`broadcasts.errors.${cancel.data.error}`)} />}
        <Modal
          open={confirmCancel}
          onClose={() => setConfirmCancel(false)}
          title={t("broadcasts.report.cancelTitle")}
          primaryAction={{
            content: t("broadcasts.report.cancel"),
            destructive: true,
            loading: cancel.state !== "idle",
            onAction: () => {
              cancel.submit({}, { method: "post" });
              setConfirmCancel(false);
            },
          }}
          secondaryActions={[{ content: t("broadcasts.report.keep"), onAction: () => setConfirmCancel(false) }]}
        >
          <Modal.Section>
            <Text as="p">{t("broadcasts.report.cancelBody", { name: r.name })}</Text>
          </Modal.Section>
        </Modal>
        <Card>
          <BlockStack gap="200">
            <Text as="h2" variant="headingMd">
              {t("broadcasts.report.progress")}
            </Text>
            <ProgressBar
              progress={Math.round(r.progress * 100)}
              tone={r.status === "failed" ? "critical" : "primary"}
              ariaLabelledBy="progress-label"
            />
            <Text as="p" id="progress-label">
              {t("broadcasts.report.progressLine", {
                percent: percent(r.progress),
                done: number(r.batches.sent + r.batches.failed),
                total: number(r.batches.total),
              })}
            </Text>
          </BlockStack>
        </Card>
        <Text as="h2" variant="headingMd">
          {t("broadcasts.report.title")}
        </Text>
        <InlineGrid columns={{ xs: 2, md: 4 }} gap="300">
          {stat("targeted", number(r.targeted))}
          {stat("sent", number(r.sent))}
          {stat("failed", number(r.failed))}
          {stat("skipped", number(r.skippedAtSend))}
          {stat("clicks", number(r.clicks))}
          {stat("orders", number(r.orders))}
          {stat("revenue", money(r.revenue))}
          {stat("clickRate", r.sent ? percent(r.uniqueClickers / r.sent) : "–")}
        </InlineGrid>
        {r.failureReasons.length > 0 && (
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                {t("broadcasts.report.failuresTitle")}
              </Text>
              <div id="failure-reasons">
                <DataTable
                  columnContentTypes={["text", "numeric"]}
                  headings={[t("broadcasts.report.reason"), t("broadcasts.report.friends")]}
                  rows={r.failureReasons.map((f) => [t(`broadcasts.failure.${f.reason}`), number(f.count)])}
                />
              </div>
            </BlockStack>
          </Card>
        )}
        {ab && (
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                {t("broadcasts.compose.ab.title")}
              </Text>
              <Text as="p" tone="subdued">
                {[
                  t("broadcasts.report.ab.share", { share: percent(ab.testShare) }),
                  t(`broadcasts.report.ab.by.${ab.metric}`),
                  ab.decidedAt
                    ? ab.winner
                      ? t("broadcasts.report.ab.winner", { variant: ab.winner })
                      : t("broadcasts.report.ab.noWinner")
                    : ab.decideAt
                      ? t("broadcasts.report.ab.decidesAt", { when: when(ab.decideAt) })
                      : t("broadcasts.report.ab.decidesAfter"),
                  ...(ab.sendWinnerToRest ? [t("broadcasts.report.ab.toRest")] : []),
                ].join(" · ")}
              </Text>
              <DataTable
                columnContentTypes={["text", "numeric", "numeric", "numeric", "numeric", "numeric", "numeric", "text"]}
                headings={[
                  t("broadcasts.report.ab.variant"),
                  t("broadcasts.report.ab.recipients"),
                  t("broadcasts.report.stats.sent"),
                  t("broadcasts.report.stats.clicks"),
                  t("broadcasts.report.stats.orders"),
                  t("broadcasts.report.stats.revenue"),
                  t("broadcasts.report.ab.rate"),
                  t("broadcasts.report.ab.winnerColumn"),
                ]}
                rows={[
                  ...ab.variants.map((v) => [
                    v.variant,
                    number(v.recipients),
                    number(v.sent),
                    number(v.clicks),
                    number(v.orders),
                    money(v.revenue),
                    percent(v.rate),
                    ab.winner === v.variant ? t("broadcasts.report.ab.winnerColumn") : "",
                  ]),
                  ...(ab.holdout
                    ? [
                        [
                          ab.holdout.sentWinner
                            ? t("broadcasts.report.ab.holdoutGot", { variant: ab.winner ?? "–" })
                            : t("broadcasts.report.ab.holdout"),
                          number(ab.holdout.recipients),
                          number(ab.holdout.sent),
                          number(ab.holdout.clicks),
                          number(ab.holdout.orders),
                          money(ab.holdout.revenue),
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
      </BlockStack>
    </Page>
  );
}

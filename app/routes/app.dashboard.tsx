// ROI dashboard: Polaris Viz charts (rendered after hydration — they measure the DOM), with plain SVG
// bars as the server-rendered / no-JS fallback.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { BarChart, PolarisVizProvider } from "@shopify/polaris-viz";
import vizStyles from "@shopify/polaris-viz/build/esm/styles.css";
import { useEffect, useState } from "react";
import { json } from "@remix-run/node";
import { useLoaderData, useNavigate } from "@remix-run/react";
import { BlockStack, Card, DataTable, EmptyState, InlineGrid, Layout, Page, ProgressBar, Select, Text } from "@shopify/polaris";
import { useTranslation } from "react-i18next";
import { requireAdmin } from "~/adapters/shopify/admin-auth.server";
import { requireShop } from "~/db/shops.server";
import { roiDashboard } from "~/services/roi/dashboard.server";
import { parseSearchParams } from "~/domain/forms/parse";
import { DashboardQuery } from "./app.dashboard.schema";
import { formatMoney } from "~/domain/format/format";
import { useFormat } from "~/components/format";
import { usePlanName } from "~/components/line-plan";

export const links = () => [{ rel: "stylesheet", href: vizStyles }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  const query = parseSearchParams(DashboardQuery, request);
  const days = query.ok ? query.data.days : 30;
  return json(await roiDashboard(await requireShop(shop), new Date(), days));
};

function Bars({ title, rows, format }: { title: string; rows: Array<{ label: string; value: number }>; format: (n: number) => string }) {
  const max = Math.max(1, ...rows.map((r) => r.value));
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  if (mounted)
    return (
      <Card>
        <BlockStack gap="200">
          <Text as="h3" variant="headingSm">
            {title}
          </Text>
          <div style={{ height: 220 }} aria-label={title}>
            <BarChart
              theme="Light"
              data={[{ name: title, data: rows.map((r) => ({ key: r.label, value: r.value })) }]}
              yAxisOptions={{ labelFormatter: (v) => format(Number(v ?? 0)) }}
            />
          </div>
        </BlockStack>
      </Card>
    );
  return (
    <Card>
      <BlockStack gap="200">
        <Text as="h3" variant="headingSm">
          {title}
        </Text>
        <svg
          role="img"
          aria-label={title}
          width="100%"
          height={rows.length * 28 + 4}
          viewBox={`0 0 400 ${rows.length * 28 + 4}`}
          preserveAspectRatio="none"
        >
          {rows.map((r, i) => (
            <g key={r.label} transform={`translate(0 ${i * 28})`}>
              <text x="0" y="16" fontSize="11">
                {r.label.slice(0, 22)}
              </text>
              <rect x="140" y="4" height="16" width={(r.value / max) * 200} fill="#06c755" rx="3" />
              <text x={146 + (r.value / max) * 200} y="16" fontSize="11">
                {format(r.value)}
              </text>
            </g>
          ))}
        </svg>
      </BlockStack>
    </Card>
  );
}

export default function Dashboard() {
  const d = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const fmt = useFormat();
  const planName = usePlanName();
  const navigate = useNavigate();
  // Costs are in the LINE plan's currency; revenue in the shop's.
  const planMoney = (n: number) => formatMoney(n, { ...fmt.ctx, currency: d.currency });
  const top = d.rows.slice(0, 10);
  const empty = d.messagesSent === 0 && d.rows.every((r) => r.clicks === 0 && r.orders === 0);
  const channelRows = (pick: (x: { revenue: number; clicks: number; orders: number }) => number) => [
    { label: t("dashboard.channel.broadcast"), value: pick(d.totals.broadcast) },
    { label: t("dashboard.channel.automation"), value: pick(d.totals.automation) },
    { label: t("dashboard.channel.menu_area"), value: pick(d.totals.menu_area) },
  ];
  const sourceLabel = (r: (typeof d.rows)[number]) =>
    r.sourceType === "automation" && ["replenishment", "review", "winback", "welcome"].includes(r.label)
      ? t(`dashboard.automation.${r.label as "replenishment"}`)
      : r.label;
  return (
    <PolarisVizProvider>
      <Page title={t("dashboard.title")} subtitle={t("dashboard.subtitle", { count: d.days })}>
        <Layout>
          <Layout.Section>
            <Card>
              <Select
                label={t("dashboard.range.label")}
                labelInline
                options={[7, 30, 90].map((n) => ({ label: t("dashboard.range.lastDays", { count: n }), value: String(n) }))}
                value={String(d.days)}
                onChange={(v) => navigate(`?days=${v}`)}
              />
            </Card>
          </Layout.Section>
          <Layout.Section>
            <InlineGrid columns={{ xs: 1, md: 3 }} gap="300">
              <Card>
                <BlockStack gap="200">
                  <Text as="h3" variant="headingSm">
                    {t("dashboard.quota.title")}
                  </Text>
                  <Text as="p" variant="headingLg">
                    {d.quota
                      ? d.quota.value
                        ? t("dashboard.quota.used", { used: fmt.number(d.quota.used), limit: fmt.number(d.quota.value) })
                        : t("dashboard.quota.usedUnlimited", { used: fmt.number(d.quota.used) })
                      : t("dashboard.quota.notConnected")}
                  </Text>
                  {d.quota?.value ? <ProgressBar progress={Math.min(100, (d.quota.used / d.quota.value) * 100)} /> : null}
                  <Text as="p" tone="subdued">
                    {d.plan.priced
                      ? t("dashboard.quota.plan", {
                          plan: planName(d.plan.region, d.plan),
                          fee: planMoney(d.plan.monthlyFee),
                          included: fmt.number(d.plan.freeMessages),
                          month: d.monthCost !== null ? planMoney(d.monthCost) : "–",
                        })
                      : t("dashboard.quota.planUnpriced", { plan: planName(d.plan.region, d.plan) })}
                  </Text>
                </BlockStack>
              </Card>
              <Card>
                <BlockStack gap="200">
                  <Text as="h3" variant="headingSm">
                    {t("dashboard.clickRate.title")}
                  </Text>
                  <Text as="p" variant="headingLg">
                    {fmt.percent(d.clickRate)}
                  </Text>
                  <Text as="p" tone="subdued">
                    {t("dashboard.clickRate.help", { count: d.messagesSent, sent: fmt.number(d.messagesSent) })}
                  </Text>
                </BlockStack>
              </Card>
              <Card>
                <BlockStack gap="200">
                  <Text as="h3" variant="headingSm">
                    {t("dashboard.perMessage.title")}
                  </Text>
                  <Text as="p">
                    {d.plan.priced
                      ? t("dashboard.perMessage.broadcasts", {
                          revenue: fmt.money(d.revenuePerMessage.broadcasts),
                          cost: planMoney(d.costPerMessage),
                        })
                      : t("dashboard.perMessage.broadcastsUnpriced", { revenue: fmt.money(d.revenuePerMessage.broadcasts) })}
                  </Text>
                  <Text as="p">{t("dashboard.perMessage.automations", { revenue: fmt.money(d.revenuePerMessage.automations) })}</Text>
                  <Text as="p">{t("dashboard.perMessage.menus", { revenue: fmt.money(d.revenuePerMessage.menusPerClick) })}</Text>
                </BlockStack>
              </Card>
            </InlineGrid>
          </Layout.Section>
          {empty ? (
            <Layout.Section>
              <Card>
                <EmptyState
                  heading={t("dashboard.empty.heading")}
                  action={{ content: t("dashboard.empty.action"), url: "/app/broadcasts/new" }}
                  secondaryAction={{ content: t("dashboard.empty.secondary"), url: "/app/automations" }}
                  image=""
                >
                  <p>{t("dashboard.empty.body")}</p>
                </EmptyState>
              </Card>
            </Layout.Section>
          ) : (
            <>
              <Layout.Section>
                <InlineGrid columns={{ xs: 1, md: 3 }} gap="300">
                  <Bars title={t("dashboard.charts.revenue")} rows={channelRows((x) => x.revenue)} format={fmt.money} />
                  <Bars title={t("dashboard.charts.clicks")} rows={channelRows((x) => x.clicks)} format={fmt.number} />
                  <Bars title={t("dashboard.charts.orders")} rows={channelRows((x) => x.orders)} format={fmt.number} />
                </InlineGrid>
              </Layout.Section>
              <Layout.Section>
                <Card>
                  <DataTable
                    columnContentTypes={["text", "text", "numeric", "numeric", "numeric", "numeric"]}
                    headings={[
                      t("dashboard.table.source"),
                      t("dashboard.table.type"),
                      t("dashboard.table.messages"),
                      t("dashboard.table.clicks"),
                      t("dashboard.table.orders"),
                      t("dashboard.table.revenue"),
                    ]}
                    rows={top.map((r) => [
                      sourceLabel(r),
                      ["broadcast", "automation", "menu_area"].includes(r.sourceType)
                        ? t(`dashboard.channel.${r.sourceType as "broadcast"}`)
                        : r.sourceType,
                      fmt.number(r.messages),
                      fmt.number(r.clicks),
                      fmt.number(r.orders),
                      fmt.money(r.revenue),
                    ])}
                  />
                </Card>
              </Layout.Section>
            </>
          )}
        </Layout>
      </Page>
    </PolarisVizProvider>
  );
}

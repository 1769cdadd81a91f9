// ROI dashboard: Polaris Viz charts (rendered after hydration — they measure the DOM), with plain SVG
// bars as the server-rendered / no-JS fallback.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { BarChart, PolarisVizProvider } from "@shopify/polaris-viz";
import vizStyles from "@shopify/polaris-viz/build/esm/styles.css";
import { useEffect, useState } from "react";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { BlockStack, Card, DataTable, InlineGrid, Layout, Page, ProgressBar, Text } from "@shopify/polaris";
import { requireAdmin } from "~/adapters/shopify/admin-auth.server";
import { requireShop } from "~/db/shops.server";
import { roiDashboard } from "~/services/roi/dashboard.server";

export const links = () => [{ rel: "stylesheet", href: vizStyles }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  return json(await roiDashboard(await requireShop(shop)));
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
  const money = (n: number) => `${Math.round(n).toLocaleString()} ${d.currency}`;
  const top = d.rows.slice(0, 10);
  return (
    <PolarisVizProvider>
      <Page title="Dashboard" subtitle={`Last ${d.days} days`}>
        <Layout>
          <Layout.Section>
            <InlineGrid columns={{ xs: 1, md: 3 }} gap="300">
              <Card>
                <BlockStack gap="200">
                  <Text as="h3" variant="headingSm">
                    Messages vs quota
                  </Text>
                  <Text as="p" variant="headingLg">
                    {d.quota ? `${d.quota.used.toLocaleString()} / ${d.quota.value?.toLocaleString() ?? "∞"}` : "LINE not connected"}
                  </Text>
                  {d.quota?.value ? <ProgressBar progress={Math.min(100, (d.quota.used / d.quota.value) * 100)} /> : null}
                  <Text
                    as="p"
                    tone="subdued"
                  >{`Plan ${d.plan.name}: ${money(d.plan.monthlyFee)} / month, ${d.plan.freeMessages.toLocaleString()} included; this month ≈ ${d.monthCost !== null ? money(d.monthCost) : "–"}`}</Text>
                </BlockStack>
              </Card>
              <Card>
                <BlockStack gap="200">
                  <Text as="h3" variant="headingSm">
                    Link rate
                  </Text>
                  <Text as="p" variant="headingLg">{`${(d.linkRate * 100).toFixed(1)}%`}</Text>
                  <Text as="p" tone="subdued">{`${d.messagesSent.toLocaleString()} marketing messages sent`}</Text>
                </BlockStack>
              </Card>
              <Card>
                <BlockStack gap="200">
                  <Text as="h3" variant="headingSm">
                    Revenue per message
                  </Text>
                  <Text as="p">{`Broadcasts: ${d.revenuePerMessage.broadcasts.toFixed(1)} ${d.currency} per message (${d.costPerMessage.toFixed(2)} ${d.currency} cost)`}</Text>
                  <Text as="p">{`Automations: ${d.revenuePerMessage.automations.toFixed(1)} ${d.currency} per message`}</Text>
                  <Text as="p">{`Rich menus (free, pull): ${d.revenuePerMessage.menusPerClick.toFixed(1)} ${d.currency} per tap`}</Text>
                </BlockStack>
              </Card>
            </InlineGrid>
          </Layout.Section>
          <Layout.Section>
            <InlineGrid columns={{ xs: 1, md: 3 }} gap="300">
              <Bars
                title="Revenue by channel"
                rows={[
                  { label: "Broadcasts", value: d.totals.broadcast.revenue },
                  { label: "Automations", value: d.totals.automation.revenue },
                  { label: "Menus", value: d.totals.menu_area.revenue },
                ]}
                format={money}
              />
              <Bars
                title="Clicks by channel"
                rows={[
                  { label: "Broadcasts", value: d.totals.broadcast.clicks },
                  { label: "Automations", value: d.totals.automation.clicks },
                  { label: "Menus", value: d.totals.menu_area.clicks },
                ]}
                format={(n) => String(n)}
              />
              <Bars
                title="Orders by channel"
                rows={[
                  { label: "Broadcasts", value: d.totals.broadcast.orders },
                  { label: "Automations", value: d.totals.automation.orders },
                  { label: "Menus", value: d.totals.menu_area.orders },
                ]}
                format={(n) => String(n)}
              />
            </InlineGrid>
          </Layout.Section>
          <Layout.Section>
            <Card>
              <DataTable
                columnContentTypes={["text", "text", "numeric", "numeric", "numeric", "numeric"]}
                headings={["Source", "Type", "Messages", "Clicks", "Orders", "Revenue"]}
                rows={top.map((r) => [r.label, r.sourceType, r.messages, r.clicks, r.orders, money(r.revenue)])}
              />
            </Card>
          </Layout.Section>
        </Layout>
      </Page>
    </PolarisVizProvider>
  );
}

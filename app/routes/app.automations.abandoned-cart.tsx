// Abandoned-cart automation: settings (delay, message intro per language, menu switch, shared quiet
// hours and frequency cap) and results (scheduled, sent, clicked, recovered orders and revenue).
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import {
  Banner,
  BlockStack,
  Button,
  Card,
  Checkbox,
  DataTable,
  FormLayout,
  InlineGrid,
  InlineStack,
  Layout,
  Page,
  Text,
  TextField,
} from "@shopify/polaris";
import { useState } from "react";
import { requireAdmin } from "~/adapters/shopify/admin-auth.server";
import { abandonedCartPage, saveAbandonedCartForm, type AbandonedCartPageData } from "~/services/automations/abandoned-cart-admin.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  return json(await abandonedCartPage(shop));
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  const r = await saveAbandonedCartForm(shop, await request.formData());
  return json({ errors: r.errors, saved: Object.keys(r.errors).length === 0 }, { status: Object.keys(r.errors).length ? 422 : 200 });
};

const LANGS: Array<[string, string]> = [
  ["ja", "Japanese"],
  ["zh-TW", "Traditional Chinese"],
  ["th", "Thai"],
  ["en", "English"],
];

function money(n: number, currency: string) {
  try {
    return new Intl.NumberFormat("en-US", { style: "currency", currency }).format(n);
  } catch {
    return `${n} ${currency}`;
  }
}

export default function AbandonedCart() {
  const d = useLoaderData<typeof loader>() as unknown as AbandonedCartPageData;
  const result = useActionData<typeof action>();
  const errors: Record<string, string> = result?.errors ?? {};
  const busy = useNavigation().state !== "idle";
  const [enabled, setEnabled] = useState(d.enabled);
  const [hours, setHours] = useState(String(d.delayHours));
  const [minutes, setMinutes] = useState(String(d.delayMinutes));
  const [switchMenu, setSwitchMenu] = useState(d.config.switchMenu);
  const [quietOn, setQuietOn] = useState(!!d.policy.quietHours);
  const [quietStart, setQuietStart] = useState(d.policy.quietHours?.start ?? "21:00");
  const [quietEnd, setQuietEnd] = useState(d.policy.quietHours?.end ?? "09:00");
  const [capOn, setCapOn] = useState(!!d.policy.frequencyCap);
  const [capMax, setCapMax] = useState(String(d.policy.frequencyCap?.max ?? 2));
  const [capDays, setCapDays] = useState(String(d.policy.frequencyCap?.windowDays ?? 7));
  const [intro, setIntro] = useState<Record<string, string>>({ ...(d.config.intro as Record<string, string>) });
  const r = d.results;
  const skipped = Object.entries(r.skipped);
  return (
    <Page title="Abandoned cart" backAction={{ content: "Automations", url: "/app/automations" }}>
      <Layout>
        {result?.saved && (
          <Layout.Section>
            <Banner tone="success">Settings saved</Banner>
          </Layout.Section>
        )}
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                Results
              </Text>
              <InlineGrid columns={5} gap="300">
                {[
                  ["Scheduled", r.scheduled],
                  ["Reminders sent", r.sent],
                  ["Clicked", r.clicked],
                  ["Recovered orders", r.recoveredOrders],
                  ["Recovered revenue", money(r.recoveredRevenue, d.currency)],
                ].map(([label, value]) => (
                  <BlockStack key={String(label)} gap="100">
                    <Text as="p" tone="subdued">
                      {label}
                    </Text>
                    <Text as="p" variant="headingLg">
                      {String(value)}
                    </Text>
                  </BlockStack>
                ))}
              </InlineGrid>
              <Text as="p" tone="subdued">
                Cancelled (order placed before the reminder): {r.cancelled} · Failed: {r.failed}
                {skipped.length ? ` · Skipped: ${skipped.map(([k, v]) => `${k.replace(/_/g, " ")} ${v}`).join(", ")}` : ""}
              </Text>
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Form method="post">
            <Card>
              <FormLayout>
                <Checkbox label="Send abandoned-cart reminders" checked={enabled} onChange={setEnabled} />
                <input type="hidden" name="enabled" value={enabled ? "on" : ""} />
                <Text as="h3" variant="headingSm">
                  Send after
                </Text>
                <InlineStack gap="200">
                  <TextField
                    label="Hours"
                    type="number"
                    name="delayHours"
                    value={hours}
                    onChange={setHours}
                    autoComplete="off"
                    min={0}
                    error={errors.delay}
                  />
                  <TextField
                    label="Minutes"
                    type="number"
                    name="delayMinutes"
                    value={minutes}
                    onChange={setMinutes}
                    autoComplete="off"
                    min={0}
                    max={59}
                  />
                </InlineStack>
                <Text as="p" tone="subdued">
                  Counted from the shopper's last change to the checkout. Current: {d.delayIso}
                </Text>
                <Checkbox
                  label="Switch the friend's rich menu to the cart menu (and back after the order)"
                  checked={switchMenu}
                  onChange={setSwitchMenu}
                />
                <input type="hidden" name="switchMenu" value={switchMenu ? "on" : ""} />
                <Text as="h3" variant="headingSm">
                  Message intro (by the friend's language; empty = default text)
                </Text>
                {LANGS.map(([code, label]) => (
                  <TextField
                    key={code}
                    label={label}
                    name={`intro_${code}`}
                    value={intro[code] ?? ""}
                    onChange={(v) => setIntro({ ...intro, [code]: v })}
                    autoComplete="off"
                    multiline={2}
                    maxLength={500}
                    error={errors[`intro_${code}`]}
                  />
                ))}
              </FormLayout>
            </Card>
            <div style={{ height: 16 }} />
            <Card>
              <FormLayout>
                <Text as="h2" variant="headingMd">
                  Shared sending rules (all marketing messages)
                </Text>
                <Checkbox
                  label={`Quiet hours (${d.timezone}): reminders due at night wait for the morning`}
                  checked={quietOn}
                  onChange={setQuietOn}
                />
                <input type="hidden" name="quietEnabled" value={quietOn ? "on" : ""} />
                {quietOn && (
                  <InlineStack gap="200">
                    <TextField
                      label="From"
                      name="quietStart"
                      value={quietStart}
                      onChange={setQuietStart}
                      autoComplete="off"
                      placeholder="21:00"
                      error={errors.quietHours}
                    />
                    <TextField
                      label="Until"
                      name="quietEnd"
                      value={quietEnd}
                      onChange={setQuietEnd}
                      autoComplete="off"
                      placeholder="09:00"
                    />
                  </InlineStack>
                )}
                <Checkbox label="Frequency cap per friend (broadcasts and automations together)" checked={capOn} onChange={setCapOn} />
                <input type="hidden" name="capEnabled" value={capOn ? "on" : ""} />
                {capOn && (
                  <InlineStack gap="200">
                    <TextField
                      label="At most (messages)"
                      type="number"
                      name="capMax"
                      value={capMax}
                      onChange={setCapMax}
                      autoComplete="off"
                      error={errors.capMax}
                    />
                    <TextField
                      label="Per (days)"
                      type="number"
                      name="capWindowDays"
                      value={capDays}
                      onChange={setCapDays}
                      autoComplete="off"
                      error={errors.capWindowDays}
                    />
                  </InlineStack>
                )}
                <Button submit variant="primary" loading={busy}>
                  Save
                </Button>
              </FormLayout>
            </Card>
          </Form>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                Recent reminders
              </Text>
              <DataTable
                columnContentTypes={["numeric", "text", "text", "text", "text", "text"]}
                headings={["#", "Status", "Due", "Sent", "Clicked", "Recovered"]}
                rows={d.recent.map((x) => [
                  x.id,
                  x.reason ? `${x.status} (${x.reason.replace(/_/g, " ")})` : x.status,
                  new Date(x.dueAt).toLocaleString(),
                  x.sentAt ? new Date(x.sentAt).toLocaleString() : "—",
                  x.clicked ? "yes" : "—",
                  x.recoveredRevenue !== null ? money(x.recoveredRevenue, d.currency) : "—",
                ])}
              />
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

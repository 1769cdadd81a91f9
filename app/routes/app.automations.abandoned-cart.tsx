// Abandoned-cart automation: settings (delay, the card's texts per language, menu switch, shared quiet
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
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { useFormat } from "~/components/format";
import { requireAdmin } from "~/adapters/shopify/admin-auth.server";
import { abandonedCartPage, saveAbandonedCartForm, type AbandonedCartPageData } from "~/services/automations/abandoned-cart-admin.server";
import { showToast } from "~/components/toast";
import { CART_TEXT_LIMITS } from "~/domain/reminders/abandoned-cart";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  return json(await abandonedCartPage(shop));
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  const r = await saveAbandonedCartForm(shop, await request.formData());
  return json({ errors: r.errors, saved: Object.keys(r.errors).length === 0 }, { status: Object.keys(r.errors).length ? 422 : 200 });
};

const LANGS = ["ja", "zh-TW", "th", "en"] as const;
const CARD_PARTS = ["heading", "intro", "button"] as const;
const SKIP_REASONS = new Set([
  "automation_off",
  "not_linked",
  "blocked",
  "opted_out",
  "segment_filter",
  "stale",
  "no_line_channel",
  "quiet_hours",
  "frequency_cap",
  "order_completed",
  "checkout_missing",
]);
const REMINDER_STATUSES = new Set(["scheduled", "sent", "cancelled", "skipped", "failed", "deferred", "pending"]);

export default function AbandonedCart() {
  const d = useLoaderData<typeof loader>() as unknown as AbandonedCartPageData;
  const result = useActionData<typeof action>();
  const { t } = useTranslation();
  const { dateTime, money, hours: duration, number, timeZone } = useFormat();
  const err = (field: string) => {
    const code = result?.errors?.[field];
    return code ? t(`automations.errors.${code}` as "automations.errors.delay_range") : undefined;
  };
  const skipReason = (k: string) => t(`automations.skip.${SKIP_REASONS.has(k) ? k : "other"}` as "automations.skip.other");
  const busy = useNavigation().state !== "idle";
  useEffect(() => {
    if (result?.saved) showToast(t("automations.saved"));
  }, [result, t]);
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
  const [texts, setTexts] = useState<Record<string, string>>(() =>
    Object.fromEntries(
      CARD_PARTS.flatMap((part) => LANGS.map((l) => [`${part}_${l}`, (d.config[part] as Record<string, string | undefined>)[l] ?? ""])),
    ),
  );
  const r = d.results;
  const skipped = Object.entries(r.skipped);
  return (
    <Page title={t("automations.entries.abandoned_cart.title")} backAction={{ content: t("automations.title"), url: "/app/automations" }}>
      <Layout>
        {result?.saved && (
          <Layout.Section>
            <Banner tone="success">{t("automations.saved")}</Banner>
          </Layout.Section>
        )}
        <Layout.Section>
          <Card>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                {t("automations.cart.results")}
              </Text>
              <InlineGrid columns={{ xs: 2, md: 5 }} gap="300">
                {(
                  [
                    ["scheduled", number(r.scheduled)],
                    ["sent", number(r.sent)],
                    ["clicked", number(r.clicked)],
                    ["recoveredOrders", number(r.recoveredOrders)],
                    ["recoveredRevenue", money(r.recoveredRevenue)],
                  ] as const
                ).map(([key, value]) => (
                  <BlockStack key={key} gap="100">
                    <Text as="p" tone="subdued">
                      {t(`automations.cart.stats.${key}`)}
                    </Text>
                    <Text as="p" variant="headingLg">
                      {value}
                    </Text>
                  </BlockStack>
                ))}
              </InlineGrid>
              <Text as="p" tone="subdued">
                {t("automations.cart.outcomes", { cancelled: number(r.cancelled), failed: number(r.failed) })}
                {skipped.length
                  ? ` · ${t("automations.cart.skippedList", { list: skipped.map(([k, v]) => `${skipReason(k)} ${number(v)}`).join(", ") })}`
                  : ""}
              </Text>
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Form method="post">
            <Card>
              <FormLayout>
                <Checkbox label={t("automations.cart.enable")} checked={enabled} onChange={setEnabled} />
                <input type="hidden" name="enabled" value={enabled ? "on" : ""} />
                <Text as="h3" variant="headingSm">
                  {t("automations.cart.sendAfter")}
                </Text>
                <InlineStack gap="200">
                  <TextField
                    label={t("automations.cart.hours")}
                    type="number"
                    name="delayHours"
                    value={hours}
                    onChange={setHours}
                    autoComplete="off"
                    error={err("delay")}
                  />
                  <TextField
                    label={t("automations.cart.minutes")}
                    type="number"
                    name="delayMinutes"
                    value={minutes}
                    onChange={setMinutes}
                    autoComplete="off"
                    min={0}
                    max={59}
                  />
                </InlineStack>
                <Text as="p" tone="subdued" id="delay-help">
                  {t("automations.cart.delayHelp", { delay: duration(d.delayHours + d.delayMinutes / 60) })}
                </Text>
                <Checkbox label={t("automations.cart.switchMenu")} checked={switchMenu} onChange={setSwitchMenu} />
                <input type="hidden" name="switchMenu" value={switchMenu ? "on" : ""} />
                <Text as="h3" variant="headingSm">
                  {t("automations.cart.textsTitle")}
                </Text>
                {LANGS.map((code) => (
                  <FormLayout.Group key={code} title={t(`automations.cart.langs.${code}`)} condensed>
                    {CARD_PARTS.map((part) => (
                      <TextField
                        key={part}
                        label={t(`automations.cart.text.${part}`)}
                        name={`${part}_${code}`}
                        value={texts[`${part}_${code}`] ?? ""}
                        onChange={(v) => setTexts({ ...texts, [`${part}_${code}`]: v })}
                        autoComplete="off"
                        multiline={part === "intro" ? 2 : undefined}
                        maxLength={part === "button" ? undefined : CART_TEXT_LIMITS[part]}
                        error={err(`${part}_${code}`)}
                      />
                    ))}
                  </FormLayout.Group>
                ))}
              </FormLayout>
            </Card>
            <div style={{ height: 16 }} />
            <Card>
              <FormLayout>
                <Text as="h2" variant="headingMd">
                  {t("automations.cart.rulesTitle")}
                </Text>
                <Checkbox label={t("automations.cart.quiet", { timezone: timeZone() })} checked={quietOn} onChange={setQuietOn} />
                <input type="hidden" name="quietEnabled" value={quietOn ? "on" : ""} />
                {quietOn && (
                  <InlineStack gap="200">
                    <TextField
                      label={t("automations.cart.from")}
                      name="quietStart"
                      type="time"
                      value={quietStart}
                      onChange={setQuietStart}
                      autoComplete="off"
                      error={err("quietHours")}
                    />
                    <TextField
                      label={t("automations.cart.until")}
                      name="quietEnd"
                      type="time"
                      value={quietEnd}
                      onChange={setQuietEnd}
                      autoComplete="off"
                    />
                  </InlineStack>
                )}
                <Checkbox label={t("automations.cart.cap")} checked={capOn} onChange={setCapOn} />
                <input type="hidden" name="capEnabled" value={capOn ? "on" : ""} />
                {capOn && (
                  <InlineStack gap="200">
                    <TextField
                      label={t("automations.cart.capMax")}
                      type="number"
                      name="capMax"
                      value={capMax}
                      onChange={setCapMax}
                      autoComplete="off"
                      error={err("capMax")}
                    />
                    <TextField
                      label={t("automations.cart.capDays")}
                      type="number"
                      name="capWindowDays"
                      value={capDays}
                      onChange={setCapDays}
                      autoComplete="off"
                      error={err("capWindowDays")}
                    />
                  </InlineStack>
                )}
                <Button submit variant="primary" loading={busy}>
                  {t("automations.save")}
                </Button>
              </FormLayout>
            </Card>
          </Form>
        </Layout.Section>
        <Layout.Section>
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                {t("automations.cart.recent")}
              </Text>
              {d.recent.length === 0 ? (
                <Text as="p" tone="subdued">
                  {t("automations.cart.recentEmpty")}
                </Text>
              ) : (
                <DataTable
                  columnContentTypes={["numeric", "text", "text", "text", "text", "text"]}
                  headings={[
                    "#",
                    t("automations.cart.columns.status"),
                    t("automations.cart.columns.due"),
                    t("automations.cart.columns.sent"),
                    t("automations.cart.columns.clicked"),
                    t("automations.cart.columns.recovered"),
                  ]}
                  rows={d.recent.map((x) => {
                    const status = REMINDER_STATUSES.has(x.status)
                      ? t(`automations.reminderStatus.${x.status}` as "automations.reminderStatus.sent")
                      : x.status;
                    return [
                      x.id,
                      x.reason ? `${status} (${skipReason(x.reason)})` : status,
                      dateTime(x.dueAt),
                      x.sentAt ? dateTime(x.sentAt) : "—",
                      x.clicked ? t("automations.cart.yes") : "—",
                      x.recoveredRevenue !== null ? money(x.recoveredRevenue) : "—",
                    ];
                  })}
                />
              )}
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

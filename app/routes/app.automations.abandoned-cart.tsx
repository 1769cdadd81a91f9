// Abandoned-cart automation: settings (delay, the card's texts per language, menu switch, shared quiet
// hours and frequency cap) and results (scheduled, sent, clicked, recovered orders and revenue).
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import {
  Banner,
  BlockStack,
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

type Values = {
  enabled: boolean;
  hours: string;
  minutes: string;
  switchMenu: boolean;
  quietOn: boolean;
  quietStart: string;
  quietEnd: string;
  capOn: boolean;
  capMax: string;
  capDays: string;
  texts: Record<string, string>;
};
import { useTranslation } from "react-i18next";
import { useFormat } from "~/components/format";
import { requireAdmin } from "~/adapters/shopify/admin-auth.server";
import { abandonedCartPage, saveAbandonedCartPage, type AbandonedCartPageData } from "~/services/automations/abandoned-cart-admin.server";
import { parseForm, type FormErrors } from "~/domain/forms/parse";
import { useFormErrors } from "~/components/form-errors";
import { ContextualSaveBar, useDirtyForm } from "~/components/save-bar";
import { AbandonedCartForm, CART_DELAY_MAX_HOURS } from "./app.automations.abandoned-cart.schema";
import { showToast } from "~/components/toast";
import { CART_TEXT_LIMITS } from "~/domain/reminders/abandoned-cart";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  return json(await abandonedCartPage(shop));
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  const parsed = parseForm(AbandonedCartForm, await request.formData());
  if (!parsed.ok) return json({ errors: parsed.errors, saved: false }, { status: 422 });
  await saveAbandonedCartPage(shop, parsed.data);
  return json({ errors: {} as FormErrors, saved: true });
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
  const errors = useFormErrors(result?.saved === false ? result.errors : undefined);
  const err = (field: string) => errors[field];
  const skipReason = (k: string) => t(`automations.skip.${SKIP_REASONS.has(k) ? k : "other"}` as "automations.skip.other");
  const saving = useNavigation().state === "submitting";
  const submit = useSubmit();
  const { values, setValues, dirty, reset, markSaved } = useDirtyForm<Values>({
    enabled: d.enabled,
    hours: String(d.delayHours),
    minutes: String(d.delayMinutes),
    switchMenu: d.config.switchMenu,
    quietOn: !!d.policy.quietHours,
    quietStart: d.policy.quietHours?.start ?? "21:00",
    quietEnd: d.policy.quietHours?.end ?? "09:00",
    capOn: !!d.policy.frequencyCap,
    capMax: String(d.policy.frequencyCap?.max ?? 2),
    capDays: String(d.policy.frequencyCap?.windowDays ?? 7),
    texts: Object.fromEntries(
      CARD_PARTS.flatMap((part) => LANGS.map((l) => [`${part}_${l}`, (d.config[part] as Record<string, string | undefined>)[l] ?? ""])),
    ),
  });
  const [submitted, setSubmitted] = useState<Values | null>(null);
  useEffect(() => {
    if (result?.saved && submitted) {
      markSaved(submitted);
      showToast(t("automations.saved"));
    }
  }, [result]); // eslint-disable-line react-hooks/exhaustive-deps -- once per action result
  const set =
    <K extends keyof Values>(k: K) =>
    (v: Values[K]) =>
      setValues((s) => ({ ...s, [k]: v }));
  const { enabled, hours, minutes, switchMenu, quietOn, quietStart, quietEnd, capOn, capMax, capDays, texts } = values;
  const save = () => {
    const f = new FormData();
    if (enabled) f.set("enabled", "on");
    f.set("delayHours", hours);
    f.set("delayMinutes", minutes);
    if (switchMenu) f.set("switchMenu", "on");
    if (quietOn) f.set("quietEnabled", "on");
    f.set("quietStart", quietStart);
    f.set("quietEnd", quietEnd);
    if (capOn) f.set("capEnabled", "on");
    f.set("capMax", capMax);
    f.set("capWindowDays", capDays);
    for (const [k, v] of Object.entries(texts)) f.set(k, v);
    setSubmitted(values);
    submit(f, { method: "post" });
  };
  const r = d.results;
  const skipped = Object.entries(r.skipped);
  return (
    <Page
      title={t("automations.entries.abandoned_cart.title")}
      backAction={{ content: t("automations.title"), url: "/app/automations" }}
      primaryAction={{ content: t("automations.save"), onAction: save, loading: saving, disabled: !dirty }}
    >
      <ContextualSaveBar id="abandoned-cart-save-bar" dirty={dirty} saving={saving} onSave={save} onDiscard={reset} />
      <Layout>
        {result?.saved === false && (
          <Layout.Section>
            <Banner tone="critical">{t("automations.fixErrors")}</Banner>
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
          <BlockStack gap="400">
            <Card>
              <FormLayout>
                <Checkbox label={t("automations.cart.enable")} checked={enabled} onChange={set("enabled")} />
                <Text as="h3" variant="headingSm">
                  {t("automations.cart.sendAfter")}
                </Text>
                <InlineStack gap="200">
                  <TextField
                    label={t("automations.cart.hours")}
                    type="number"
                    value={hours}
                    onChange={set("hours")}
                    autoComplete="off"
                    min={0}
                    max={CART_DELAY_MAX_HOURS}
                    error={err("delayHours")}
                  />
                  <TextField
                    label={t("automations.cart.minutes")}
                    type="number"
                    value={minutes}
                    onChange={set("minutes")}
                    autoComplete="off"
                    min={0}
                    max={59}
                    error={err("delayMinutes")}
                  />
                </InlineStack>
                <Text as="p" tone="subdued" id="delay-help">
                  {t("automations.cart.delayHelp", { delay: duration(d.delayHours + d.delayMinutes / 60) })}
                </Text>
                <Checkbox label={t("automations.cart.switchMenu")} checked={switchMenu} onChange={set("switchMenu")} />
                <Text as="h3" variant="headingSm">
                  {t("automations.cart.textsTitle")}
                </Text>
                {LANGS.map((code) => (
                  <FormLayout.Group key={code} title={t(`automations.cart.langs.${code}`)} condensed>
                    {CARD_PARTS.map((part) => (
                      <TextField
                        key={part}
                        label={t(`automations.cart.text.${part}`)}
                        value={texts[`${part}_${code}`] ?? ""}
                        onChange={(v) => set("texts")({ ...texts, [`${part}_${code}`]: v })}
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
            <Card>
              <FormLayout>
                <Text as="h2" variant="headingMd">
                  {t("automations.cart.rulesTitle")}
                </Text>
                <Checkbox label={t("automations.cart.quiet", { timezone: timeZone() })} checked={quietOn} onChange={set("quietOn")} />
                {quietOn && (
                  <InlineStack gap="200">
                    <TextField
                      label={t("automations.cart.from")}
                      type="time"
                      value={quietStart}
                      onChange={set("quietStart")}
                      autoComplete="off"
                      error={err("quietStart")}
                    />
                    <TextField
                      label={t("automations.cart.until")}
                      type="time"
                      value={quietEnd}
                      onChange={set("quietEnd")}
                      autoComplete="off"
                      error={err("quietEnd")}
                    />
                  </InlineStack>
                )}
                <Checkbox label={t("automations.cart.cap")} checked={capOn} onChange={set("capOn")} />
                {capOn && (
                  <InlineStack gap="200">
                    <TextField
                      label={t("automations.cart.capMax")}
                      type="number"
                      min={1}
                      max={100}
                      value={capMax}
                      onChange={set("capMax")}
                      autoComplete="off"
                      error={err("capMax")}
                    />
                    <TextField
                      label={t("automations.cart.capDays")}
                      type="number"
                      min={1}
                      max={90}
                      value={capDays}
                      onChange={set("capDays")}
                      autoComplete="off"
                      error={err("capWindowDays")}
                    />
                  </InlineStack>
                )}
              </FormLayout>
            </Card>
          </BlockStack>
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

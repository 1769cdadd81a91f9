// Lifecycle automations: replenishment, post-delivery review, win-back, welcome — each on/off with its
// own message, timing (sane bounds), segment picker and report. Quiet hours and the frequency cap are
// shared (messaging policy). Form problems come back as codes the page words in the merchant's language.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useFetcher, useLoaderData } from "@remix-run/react";
import { Badge, BlockStack, Button, Card, Checkbox, InlineStack, Layout, Page, Text, TextField } from "@shopify/polaris";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { requireAdmin } from "~/adapters/shopify/admin-auth.server";
import { requireShop } from "~/db/shops.server";
import { useFormat } from "~/components/format";
import { LIFECYCLE_DAY_FIELD, LIFECYCLE_DAY_LIMITS, LIFECYCLE_KINDS, type LifecycleKind } from "~/domain/broadcasts/lifecycle";
import { saveLifecycleForm } from "~/services/automations/lifecycle-settings.server";
import { readLifecycleSettings } from "~/db/settings/lifecycle.server";
import { segmentNames } from "~/db/segments.server";
import { lifecycleReport } from "~/services/automations/lifecycle.server";
import { showToast } from "~/components/toast";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  const s = await requireShop(shop);
  return json({ settings: readLifecycleSettings(s), report: await lifecycleReport(s.id), segments: await segmentNames(s.id) });
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  const s = await requireShop(shop);
  const form = await request.formData();
  const kind = String(form.get("kind")) as LifecycleKind;
  if (!LIFECYCLE_KINDS.includes(kind)) throw new Response("Unknown automation", { status: 404 });
  const { errors } = await saveLifecycleForm(s, kind, form);
  return json({ kind, errors, saved: Object.keys(errors).length === 0 }, { status: Object.keys(errors).length ? 422 : 200 });
};

const PLACEHOLDERS: Record<LifecycleKind, string> = {
  replenishment: "{{displayName|…}} {{product}} {{reorderUrl}}",
  review: "{{displayName|…}} {{orderName}} {{reviewUrl}}",
  winback: "{{displayName|…}} {{shopUrl}}",
  welcome: "{{displayName|…}} {{linkUrl}}",
};

type Report = { scheduled: number; sent: number; skipped: Record<string, number>; clicks: number; orders: number; revenue: number };

function AutomationCard({
  kind,
  settings,
  report,
  segments,
}: {
  kind: LifecycleKind;
  settings: Record<string, unknown>;
  report: Report;
  segments: Array<{ id: number; name: string }>;
}) {
  const { t } = useTranslation();
  const { money, number } = useFormat();
  const save = useFetcher<typeof action>();
  const [enabled, setEnabled] = useState(Boolean(settings.enabled));
  const [text, setText] = useState(String(settings.text ?? ""));
  const field = LIFECYCLE_DAY_FIELD[kind];
  const [days, setDays] = useState(field ? String(settings[field] ?? "") : "");
  const [segs, setSegs] = useState<number[]>((settings.segmentIds as number[]) ?? []);
  const errors = save.data?.errors ?? {};
  const limits = field ? LIFECYCLE_DAY_LIMITS[field] : null;
  const err = (f: string) => {
    const code = (errors as Record<string, string>)[f];
    return code
      ? t(`automations.lifecycle.errors.${code}` as "automations.lifecycle.errors.text_empty", { min: limits?.min, max: limits?.max })
      : undefined;
  };
  useEffect(() => {
    if (save.data?.saved) showToast(t("automations.saved"));
  }, [save.data, t]);
  const name = t(`automations.lifecycle.kinds.${kind}`);
  return (
    <Card>
      <save.Form method="post">
        <input type="hidden" name="kind" value={kind} />
        <input type="hidden" name="enabled" value={enabled ? "on" : ""} />
        {segs.map((id) => (
          <input key={id} type="hidden" name="segmentIds" value={id} />
        ))}
        <BlockStack gap="200">
          <InlineStack gap="200" blockAlign="center">
            <Text as="h2" variant="headingMd">
              {name}
            </Text>
            <Badge tone={enabled ? "success" : undefined}>{enabled ? t("automations.on") : t("automations.off")}</Badge>
          </InlineStack>
          <Checkbox label={t("automations.lifecycle.enable")} checked={enabled} onChange={setEnabled} />
          <TextField
            label={t("automations.lifecycle.message")}
            name="text"
            value={text}
            onChange={setText}
            multiline={3}
            autoComplete="off"
            error={err("text")}
            helpText={t("automations.lifecycle.placeholdersOf", { list: PLACEHOLDERS[kind] })}
          />
          {field && limits && (
            <TextField
              label={t(`automations.lifecycle.days.${kind as "replenishment"}`)}
              name="days"
              type="number"
              value={days}
              onChange={setDays}
              autoComplete="off"
              helpText={t("automations.lifecycle.daysHelp", { min: limits.min, max: limits.max })}
              error={err("days")}
            />
          )}
          <BlockStack gap="100">
            <Text as="p" fontWeight="semibold">
              {t("automations.lifecycle.segments")}
            </Text>
            {segments.length === 0 ? (
              <Text as="p" tone="subdued">
                {t("automations.lifecycle.noSegments")}
              </Text>
            ) : (
              <>
                {segments.map((s) => (
                  <Checkbox
                    key={s.id}
                    label={s.name}
                    checked={segs.includes(s.id)}
                    onChange={(on) => setSegs(on ? [...segs, s.id] : segs.filter((x) => x !== s.id))}
                  />
                ))}
                <Text as="p" tone="subdued">
                  {err("segmentIds") ?? t("automations.lifecycle.segmentsHelp")}
                </Text>
              </>
            )}
          </BlockStack>
          <Text as="p" tone="subdued">
            {t("automations.lifecycle.report", {
              scheduled: number(report.scheduled),
              sent: number(report.sent),
              clicks: number(report.clicks),
              orders: number(report.orders),
              revenue: money(report.revenue),
            })}
          </Text>
          <InlineStack>
            <Button submit variant="primary" loading={save.state !== "idle"}>
              {t("automations.save")}
            </Button>
          </InlineStack>
        </BlockStack>
      </save.Form>
    </Card>
  );
}

export default function Lifecycle() {
  const { settings, report, segments } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  return (
    <Page title={t("automations.lifecycle.title")} backAction={{ content: t("automations.title"), url: "/app/automations" }}>
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <Text as="p" tone="subdued">
              {t("automations.lifecycle.placeholders")}
            </Text>
            {LIFECYCLE_KINDS.map((k) => (
              <AutomationCard
                key={k}
                kind={k}
                settings={settings[k] as unknown as Record<string, unknown>}
                report={report[k]}
                segments={segments}
              />
            ))}
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

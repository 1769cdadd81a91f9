// Lifecycle automations: replenishment, post-delivery review, win-back, welcome — each on/off with its
// own message, timing (sane bounds), segment picker and report. Quiet hours and the frequency cap are
// shared (messaging policy). One form for the four, with the contextual save bar; the action parses it
// with LifecycleForm (app.automations.lifecycle.schema.ts) and field errors show in the merchant's language.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useActionData, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import { Badge, Banner, BlockStack, Card, Checkbox, InlineStack, Layout, Page, Text, TextField } from "@shopify/polaris";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { requireAdmin } from "~/adapters/shopify/admin-auth.server";
import { requireShop } from "~/db/shops.server";
import { useFormat } from "~/components/format";
import { LIFECYCLE_DAY_FIELD, LIFECYCLE_DAY_LIMITS, LIFECYCLE_KINDS, type LifecycleKind } from "~/domain/broadcasts/lifecycle";
import { saveLifecyclePage } from "~/services/automations/lifecycle-settings.server";
import { parseForm, type FormErrors } from "~/domain/forms/parse";
import { ContextualSaveBar, useDirtyForm } from "~/components/save-bar";
import { LifecycleForm } from "./app.automations.lifecycle.schema";
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
  const parsed = parseForm(LifecycleForm, await request.formData());
  if (!parsed.ok) return json({ errors: parsed.errors, saved: false }, { status: 422 });
  const { errors } = await saveLifecyclePage(s, parsed.data);
  const saved = Object.keys(errors).length === 0;
  return json({ errors, saved }, { status: saved ? 200 : 422 });
};

const PLACEHOLDERS: Record<LifecycleKind, string> = {
  replenishment: "{{displayName|…}} {{product}} {{reorderUrl}}",
  review: "{{displayName|…}} {{orderName}} {{reviewUrl}}",
  winback: "{{displayName|…}} {{shopUrl}}",
  welcome: "{{displayName|…}} {{linkUrl}}",
};

type Report = { scheduled: number; sent: number; skipped: Record<string, number>; clicks: number; orders: number; revenue: number };

/** One automation's fields as the form edits them (days as typed). */
type KindValues = { enabled: boolean; text: string; days: string; segmentIds: number[] };
type Values = Record<LifecycleKind, KindValues>;

function valuesOf(settings: Record<LifecycleKind, Record<string, unknown>>): Values {
  return Object.fromEntries(
    LIFECYCLE_KINDS.map((k) => {
      const s = settings[k]!;
      const field = LIFECYCLE_DAY_FIELD[k];
      return [
        k,
        {
          enabled: Boolean(s.enabled),
          text: String(s.text ?? ""),
          days: field ? String(s[field] ?? "") : "",
          segmentIds: (s.segmentIds as number[]) ?? [],
        },
      ];
    }),
  ) as Values;
}

function formDataOf(values: Values): FormData {
  const f = new FormData();
  for (const k of LIFECYCLE_KINDS) {
    const v = values[k];
    if (v.enabled) f.set(`${k}.enabled`, "on");
    f.set(`${k}.text`, v.text);
    if (LIFECYCLE_DAY_FIELD[k]) f.set(`${k}.days`, v.days);
    for (const id of v.segmentIds) f.append(`${k}.segmentIds`, String(id));
  }
  return f;
}

function AutomationCard({
  kind,
  values,
  onChange,
  errors,
  report,
  segments,
}: {
  kind: LifecycleKind;
  values: KindValues;
  onChange: (v: KindValues) => void;
  errors: FormErrors;
  report: Report;
  segments: Array<{ id: number; name: string }>;
}) {
  const { t } = useTranslation();
  const { money, number } = useFormat();
  const field = LIFECYCLE_DAY_FIELD[kind];
  const limits = field ? LIFECYCLE_DAY_LIMITS[field] : null;
  const err = (f: string) => {
    const key = errors[`${kind}.${f}`];
    return key ? (t(key as never, { min: limits?.min, max: limits?.max }) as string) : undefined;
  };
  const set = (patch: Partial<KindValues>) => onChange({ ...values, ...patch });
  const name = t(`automations.lifecycle.kinds.${kind}`);
  return (
    <Card>
      <BlockStack gap="200">
        <InlineStack gap="200" blockAlign="center">
          <Text as="h2" variant="headingMd">
            {name}
          </Text>
          <Badge tone={values.enabled ? "success" : undefined}>{values.enabled ? t("automations.on") : t("automations.off")}</Badge>
        </InlineStack>
        <Checkbox label={t("automations.lifecycle.enable")} checked={values.enabled} onChange={(enabled) => set({ enabled })} />
        <TextField
          label={t("automations.lifecycle.message")}
          value={values.text}
          onChange={(text) => set({ text })}
          multiline={3}
          autoComplete="off"
          error={err("text")}
          helpText={t("automations.lifecycle.placeholdersOf", { list: PLACEHOLDERS[kind] })}
        />
        {field && limits && (
          <TextField
            label={t(`automations.lifecycle.days.${kind as "replenishment"}`)}
            type="number"
            min={limits.min}
            max={limits.max}
            value={values.days}
            onChange={(days) => set({ days })}
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
                  checked={values.segmentIds.includes(s.id)}
                  onChange={(on) => set({ segmentIds: on ? [...values.segmentIds, s.id] : values.segmentIds.filter((x) => x !== s.id) })}
                />
              ))}
              <Text as="p" tone={err("segmentIds") ? "critical" : "subdued"}>
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
      </BlockStack>
    </Card>
  );
}

export default function Lifecycle() {
  const { settings, report, segments } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { t } = useTranslation();
  const submit = useSubmit();
  const saving = useNavigation().state === "submitting";
  const { values, setValues, dirty, reset, markSaved } = useDirtyForm(
    valuesOf(settings as unknown as Record<LifecycleKind, Record<string, unknown>>),
  );
  const [submitted, setSubmitted] = useState<Values | null>(null);
  useEffect(() => {
    if (!result) return;
    if (result.saved && submitted) {
      markSaved(submitted);
      showToast(t("automations.saved"));
    }
  }, [result]); // eslint-disable-line react-hooks/exhaustive-deps -- once per action result
  const save = () => {
    setSubmitted(values);
    submit(formDataOf(values), { method: "post" });
  };
  const errors: FormErrors = result && !result.saved ? result.errors : {};
  return (
    <Page
      title={t("automations.lifecycle.title")}
      backAction={{ content: t("automations.title"), url: "/app/automations" }}
      primaryAction={{ content: t("automations.save"), onAction: save, loading: saving, disabled: !dirty }}
    >
      <ContextualSaveBar id="lifecycle-save-bar" dirty={dirty} saving={saving} onSave={save} onDiscard={reset} />
      <Layout>
        {Object.keys(errors).length > 0 && (
          <Layout.Section>
            <Banner tone="critical">{t("automations.lifecycle.fixErrors")}</Banner>
          </Layout.Section>
        )}
        <Layout.Section>
          <BlockStack gap="400">
            <Text as="p" tone="subdued">
              {t("automations.lifecycle.placeholders")}
            </Text>
            {LIFECYCLE_KINDS.map((k) => (
              <AutomationCard
                key={k}
                kind={k}
                values={values[k]}
                onChange={(v) => setValues((all) => ({ ...all, [k]: v }))}
                errors={errors}
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

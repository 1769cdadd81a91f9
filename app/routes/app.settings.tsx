import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useFetcher, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import { Badge, Banner, BlockStack, Button, Card, FormLayout, InlineStack, Layout, Page, Select, Text, TextField } from "@shopify/polaris";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { requireAdmin } from "~/adapters/shopify/admin-auth.server";
import { parseForm, type FormErrors } from "~/domain/forms/parse";
import { useFormErrors } from "~/components/form-errors";
import { AssistantModelForm, LineChannelForm, LinePlanForm, SettingsIntentForm } from "./app.settings.schema";
import { requireShop } from "~/db/shops.server";
import { loadAssistantSettings, saveAssistantSettings } from "~/db/settings/assistant.server";
import { shopOverview } from "~/services/overview.server";
import { connectLineChannel, setLinePlan, testLineConnection } from "~/services/shops.server";
import { AssistantModelSettings, type AssistantModelValues } from "~/components/assistant/AssistantModelSettings";
import { currencyName, languageName, regionName } from "~/domain/format/format";
import { useFormat } from "~/components/format";
import { usePlanName } from "~/components/line-plan";
import { showToast } from "~/components/toast";
import { ContextualSaveBar, useDirtyForm } from "~/components/save-bar";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  const { id } = await requireShop(shop);
  return json({ ...(await shopOverview(shop)), assistant: await loadAssistantSettings(id) });
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  const form = await request.formData();
  const none: FormErrors = {};
  const sent = parseForm(SettingsIntentForm, form);
  const intent = sent.ok ? sent.data.intent : "";
  if (intent === "test") return json({ errors: none, result: null, test: await testLineConnection(shop) });
  if (intent === "assistant") {
    const parsed = parseForm(AssistantModelForm, form);
    if (!parsed.ok) return json({ errors: parsed.errors, result: null, test: null }, { status: 422 });
    const assistant = await saveAssistantSettings(await requireShop(shop), parsed.data);
    return json({ errors: none, result: null, test: null, assistantSaved: true, assistant });
  }
  if (intent === "plan") {
    const plan = parseForm(LinePlanForm, form);
    if (!plan.ok) return json({ errors: plan.errors, result: null, test: null }, { status: 422 });
    try {
      await setLinePlan(shop, plan.data);
    } catch (err) {
      // setLinePlan refuses a region or plan the app does not know (a tampered form): say so plainly.
      if (!(err instanceof Error)) throw err;
      return json({ errors: { planId: "settings.plan.invalid" } as FormErrors, result: null, test: null }, { status: 422 });
    }
    return json({ errors: none, result: null, test: null, planSaved: true });
  }
  const parsed = parseForm(LineChannelForm, form);
  if (!parsed.ok) return json({ errors: parsed.errors, result: null, test: null }, { status: 422 });
  const { loginChannelId, loginChannelSecret, ...channel } = parsed.data;
  const result = await connectLineChannel({
    domain: shop,
    ...channel,
    loginChannelId: loginChannelId || undefined,
    loginChannelSecret: loginChannelSecret || undefined,
  });
  return json({ errors: none, result, test: null });
};

type PlanValues = { region: string; planId: string };
type ChannelValues = {
  channelId: string;
  channelSecret: string;
  channelAccessToken: string;
  loginChannelId: string;
  loginChannelSecret: string;
};

function LinePlanSection({ values, onChange, error }: { values: PlanValues; onChange: (v: PlanValues) => void; error?: string }) {
  const { linePlan, shop } = useLoaderData<typeof loader>();
  const { t } = useTranslation();
  const planName = usePlanName();
  const format = useFormat();
  const language = shop.primaryLocale ? languageName(shop.primaryLocale, format.ctx.locale) : null;
  const plansOf = (region: string) => linePlan.regions.find((r) => r.region === region)?.plans ?? [];
  const plans = plansOf(values.region);
  return (
    <Layout.AnnotatedSection title={t("settings.plan.title")} description={t("settings.plan.description")}>
      <Card>
        <BlockStack gap="300">
          <Text as="p" tone="subdued">
            {t(language ? "settings.plan.storeSettingsWithLanguage" : "settings.plan.storeSettings", {
              timeZone: format.timeZone(),
              currency: currencyName(shop.currency, format.ctx.locale),
              country: regionName(shop.country, format.ctx.locale),
              language,
            })}
            {shop.settingsSyncedAt ? "" : ` ${t("settings.plan.notSynced")}`}
          </Text>
          {!linePlan.regionChosen && (
            <Text as="p">{t("settings.plan.regionAssumed", { region: regionName(linePlan.defaultRegion, format.ctx.locale) })}</Text>
          )}
          {!linePlan.priced && <Banner tone="info">{t("settings.plan.unpriced")}</Banner>}
          <FormLayout>
            <Select
              label={t("settings.plan.region")}
              options={linePlan.regions.map((r) => ({
                label: `${regionName(r.region, format.ctx.locale)} (${currencyName(r.currency, format.ctx.locale)})`,
                value: r.region,
              }))}
              value={values.region}
              // A region's own first plan when the chosen one is not sold there.
              onChange={(region) =>
                onChange({
                  region,
                  planId: plansOf(region).some((p) => p.id === values.planId) ? values.planId : (plansOf(region)[0]?.id ?? ""),
                })
              }
            />
            <Select
              label={t("settings.plan.plan")}
              options={plans.map((p) => ({ label: planName(values.region, p), value: p.id }))}
              value={values.planId}
              onChange={(planId) => onChange({ ...values, planId })}
              error={error}
            />
          </FormLayout>
        </BlockStack>
      </Card>
    </Layout.AnnotatedSection>
  );
}

export default function Settings() {
  const { line, linePlan, assistant: storedAssistant } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const planSave = useFetcher<typeof action>();
  const assistantSave = useFetcher<typeof action>();
  const nav = useNavigation();
  const submit = useSubmit();
  // The secrets are write-only: their fields start empty, and typing one is an unsaved change.
  const emptyChannel: ChannelValues = {
    channelId: line.channelId ?? "",
    channelSecret: "",
    channelAccessToken: "",
    loginChannelId: "",
    loginChannelSecret: "",
  };
  const channel = useDirtyForm<ChannelValues>(emptyChannel);
  const plan = useDirtyForm<PlanValues>({ region: linePlan.region, planId: linePlan.planId });
  const assistant = useDirtyForm<AssistantModelValues>({
    enabled: storedAssistant.enabled,
    baseUrl: storedAssistant.baseUrl,
    model: storedAssistant.model,
    apiKey: "",
  });
  const assistantErrors = useFormErrors(assistantSave.data?.errors);
  const savedAssistant = (assistantSave.data && "assistant" in assistantSave.data ? assistantSave.data.assistant : null) as
    typeof storedAssistant | null;
  const values = channel.values;
  const set = (k: keyof ChannelValues) => (v: string) => channel.setValues((s) => ({ ...s, [k]: v }));
  const errors = useFormErrors(data?.errors);
  const planErrors = useFormErrors(planSave.data?.errors);
  const { t } = useTranslation();
  const result = data?.result;
  const test = data?.test;
  const [sentChannel, setSentChannel] = useState<ChannelValues | null>(null);
  const [sentPlan, setSentPlan] = useState<PlanValues | null>(null);
  // A channel LINE accepted (or stored unverified) is the saved state, secrets cleared again.
  useEffect(() => {
    if (result?.saved && sentChannel) channel.markSaved({ ...emptyChannel, channelId: sentChannel.channelId });
  }, [result]); // eslint-disable-line react-hooks/exhaustive-deps -- once per action result
  useEffect(() => {
    if (planSave.data && "planSaved" in planSave.data && planSave.data.planSaved && sentPlan) {
      plan.markSaved(sentPlan);
      showToast(t("settings.plan.saved"));
    }
  }, [planSave.data]); // eslint-disable-line react-hooks/exhaustive-deps -- once per save
  useEffect(() => {
    if (savedAssistant) {
      assistant.markSaved({ enabled: savedAssistant.enabled, baseUrl: savedAssistant.baseUrl, model: savedAssistant.model, apiKey: "" });
      showToast(t("assistant.settings.saved"));
    }
  }, [assistantSave.data]); // eslint-disable-line react-hooks/exhaustive-deps -- once per save
  const saving = nav.state === "submitting" || planSave.state === "submitting" || assistantSave.state === "submitting";
  const dirty = channel.dirty || plan.dirty || assistant.dirty;
  const save = () => {
    if (assistant.dirty) {
      const { enabled, ...rest } = assistant.values;
      assistantSave.submit({ intent: "assistant", ...rest, ...(enabled ? { enabled: "on" } : {}) }, { method: "post" });
    }
    if (plan.dirty) {
      setSentPlan(plan.values);
      planSave.submit({ intent: "plan", ...plan.values }, { method: "post" });
    }
    if (channel.dirty) {
      setSentChannel(values);
      submit({ ...values }, { method: "post" });
    }
  };
  const discard = () => {
    channel.reset();
    plan.reset();
    assistant.reset();
  };
  return (
    <Page
      title={t("settings.title")}
      primaryAction={{ content: t("saveBar.save"), onAction: save, loading: saving, disabled: !dirty }}
      secondaryActions={[{ content: t("consentSettings.title"), url: "/app/settings/consent" }]}
    >
      <ContextualSaveBar id="settings-save-bar" dirty={dirty} saving={saving} onSave={save} onDiscard={discard} />
      <Layout>
        <Layout.AnnotatedSection title={t("settings.line.title")} description={t("settings.line.description")}>
          <Card>
            <BlockStack gap="300">
              <InlineStack gap="200" blockAlign="center">
                <Text as="h3" variant="headingSm">
                  {t("settings.line.status")}
                </Text>
                {line.connected ? (
                  <Badge tone="success">{t("settings.line.connected")}</Badge>
                ) : (
                  <Badge tone="attention">{t("settings.line.notConnected")}</Badge>
                )}
                {line.connected && (
                  <Form method="post">
                    <input type="hidden" name="intent" value="test" />
                    <Button submit loading={nav.state === "submitting" && nav.formData?.get("intent") === "test"}>
                      {t("settings.line.test")}
                    </Button>
                  </Form>
                )}
              </InlineStack>
              {test && (
                <Banner tone={test.ok ? "success" : "critical"}>
                  {test.ok ? t("settings.line.testOk", { name: test.botName }) : t(`settings.line.testFailed.${test.reason}`)}
                </Banner>
              )}
              {result && (
                <Banner
                  tone={result.verified ? "success" : result.saved ? "warning" : "critical"}
                  title={
                    result.verified
                      ? t("settings.line.saved")
                      : result.saved
                        ? t("settings.line.savedUnverified")
                        : t("settings.line.keptOld")
                  }
                />
              )}
              <Text as="p">
                {t("settings.line.webhookUrl")} <code>{line.webhookUrl}</code>
              </Text>
              <FormLayout>
                <TextField
                  label={t("settings.line.channelId")}
                  value={values.channelId}
                  onChange={set("channelId")}
                  error={errors.channelId}
                  autoComplete="off"
                />
                <TextField
                  label={t("settings.line.channelSecret")}
                  type="password"
                  value={values.channelSecret}
                  onChange={set("channelSecret")}
                  error={errors.channelSecret}
                  autoComplete="off"
                />
                <TextField
                  label={t("settings.line.accessToken")}
                  type="password"
                  value={values.channelAccessToken}
                  onChange={set("channelAccessToken")}
                  error={errors.channelAccessToken}
                  autoComplete="off"
                />
                <TextField
                  label={t("settings.line.loginChannelId")}
                  value={values.loginChannelId}
                  onChange={set("loginChannelId")}
                  autoComplete="off"
                />
                <TextField
                  label={t("settings.line.loginChannelSecret")}
                  type="password"
                  value={values.loginChannelSecret}
                  onChange={set("loginChannelSecret")}
                  error={errors.loginChannelSecret}
                  autoComplete="off"
                />
              </FormLayout>
            </BlockStack>
          </Card>
        </Layout.AnnotatedSection>
        <LinePlanSection values={plan.values} onChange={plan.setValues} error={planErrors.planId} />
        <AssistantModelSettings
          values={assistant.values}
          onChange={assistant.setValues}
          errors={assistantErrors}
          hasApiKey={(savedAssistant ?? storedAssistant).hasApiKey}
        />
      </Layout>
    </Page>
  );
}

import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Badge, Banner, BlockStack, Button, Card, FormLayout, InlineStack, Layout, Page, Select, Text, TextField } from "@shopify/polaris";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { requireAdmin } from "~/adapters/shopify/admin-auth.server";
import { requireShop } from "~/db/shops.server";
import { adminT } from "~/i18n/i18n.server";
import { shopOverview } from "~/services/overview.server";
import { connectLineChannel, setLinePlan, testLineConnection } from "~/services/shops.server";
import { AssistantModelSettings } from "~/components/assistant/AssistantModelSettings";
import { currencyName, languageName, regionName } from "~/domain/format/format";
import { useFormat } from "~/components/format";
import { usePlanName } from "~/components/line-plan";
import { showToast } from "~/components/toast";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  return json(await shopOverview(shop));
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop } = await requireAdmin(request);
  const form = await request.formData();
  if (form.get("intent") === "test")
    return json({ errors: {} as Record<string, string>, result: null, test: await testLineConnection(shop) });
  const t = await adminT(request, await requireShop(shop));
  const field = (k: string) => String(form.get(k) ?? "").trim();
  const errors: Record<string, string> = {};
  if (field("intent") === "plan") {
    try {
      await setLinePlan(shop, { region: field("region"), planId: field("planId") });
    } catch (err) {
      // setLinePlan refuses a region or plan the app does not know (a tampered form): say so plainly.
      if (err instanceof Error)
        return json(
          { errors: { planId: t("settings.plan.invalid") } as Record<string, string>, result: null, test: null },
          { status: 422 },
        );
      throw err;
    }
    return json({ errors: {} as Record<string, string>, result: null, test: null, planSaved: true });
  }
  if (!/^\d+$/.test(field("channelId"))) errors.channelId = t("settings.line.errors.channelId");
  if (!field("channelSecret")) errors.channelSecret = t("settings.line.errors.required");
  if (!field("channelAccessToken")) errors.channelAccessToken = t("settings.line.errors.accessToken");
  if (Boolean(field("loginChannelId")) !== Boolean(field("loginChannelSecret")))
    errors.loginChannelSecret = t("settings.line.errors.loginPair");
  if (Object.keys(errors).length) return json({ errors, result: null, test: null }, { status: 422 });
  const result = await connectLineChannel({
    domain: shop,
    channelId: field("channelId"),
    channelSecret: field("channelSecret"),
    channelAccessToken: field("channelAccessToken"),
    loginChannelId: field("loginChannelId") || undefined,
    loginChannelSecret: field("loginChannelSecret") || undefined,
  });
  return json({ errors: {} as Record<string, string>, result, test: null });
};

function LinePlanSection() {
  const { linePlan, shop } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const { t } = useTranslation();
  const planName = usePlanName();
  const format = useFormat();
  const language = shop.primaryLocale ? languageName(shop.primaryLocale, format.ctx.locale) : null;
  useEffect(() => {
    if (data && "planSaved" in data && data.planSaved) showToast(t("settings.plan.saved"));
  }, [data, t]);
  const [region, setRegion] = useState(linePlan.region);
  const plans = linePlan.regions.find((r) => r.region === region)?.plans ?? [];
  const [planId, setPlanId] = useState(linePlan.planId);
  const validPlan = plans.some((p) => p.id === planId) ? planId : (plans[0]?.id ?? "");
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
          <Form method="post">
            <input type="hidden" name="intent" value="plan" />
            <FormLayout>
              <Select
                label={t("settings.plan.region")}
                name="region"
                options={linePlan.regions.map((r) => ({
                  label: `${regionName(r.region, format.ctx.locale)} (${currencyName(r.currency, format.ctx.locale)})`,
                  value: r.region,
                }))}
                value={region}
                onChange={setRegion}
              />
              <Select
                label={t("settings.plan.plan")}
                name="planId"
                options={plans.map((p) => ({ label: planName(region, p), value: p.id }))}
                value={validPlan}
                onChange={setPlanId}
                error={data?.errors?.planId}
              />
              <Button submit>{t("settings.plan.save")}</Button>
            </FormLayout>
          </Form>
        </BlockStack>
      </Card>
    </Layout.AnnotatedSection>
  );
}

export default function Settings() {
  const { line } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const nav = useNavigation();
  const [values, setValues] = useState({
    channelId: line.channelId ?? "",
    channelSecret: "",
    channelAccessToken: "",
    loginChannelId: "",
    loginChannelSecret: "",
  });
  const set = (k: keyof typeof values) => (v: string) => setValues((s) => ({ ...s, [k]: v }));
  const errors = data?.errors ?? {};
  const { t } = useTranslation();
  const result = data?.result;
  const test = data?.test;
  return (
    <Page title={t("settings.title")} secondaryActions={[{ content: t("consentSettings.title"), url: "/app/settings/consent" }]}>
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
              <Form method="post">
                <FormLayout>
                  <TextField
                    label={t("settings.line.channelId")}
                    name="channelId"
                    value={values.channelId}
                    onChange={set("channelId")}
                    error={errors.channelId}
                    autoComplete="off"
                  />
                  <TextField
                    label={t("settings.line.channelSecret")}
                    name="channelSecret"
                    type="password"
                    value={values.channelSecret}
                    onChange={set("channelSecret")}
                    error={errors.channelSecret}
                    autoComplete="off"
                  />
                  <TextField
                    label={t("settings.line.accessToken")}
                    name="channelAccessToken"
                    type="password"
                    value={values.channelAccessToken}
                    onChange={set("channelAccessToken")}
                    error={errors.channelAccessToken}
                    autoComplete="off"
                  />
                  <TextField
                    label={t("settings.line.loginChannelId")}
                    name="loginChannelId"
                    value={values.loginChannelId}
                    onChange={set("loginChannelId")}
                    autoComplete="off"
                  />
                  <TextField
                    label={t("settings.line.loginChannelSecret")}
                    name="loginChannelSecret"
                    type="password"
                    value={values.loginChannelSecret}
                    onChange={set("loginChannelSecret")}
                    error={errors.loginChannelSecret}
                    autoComplete="off"
                  />
                  <Button submit variant="primary" loading={nav.state === "submitting" && !nav.formData?.get("intent")}>
                    {t("settings.line.save")}
                  </Button>
                </FormLayout>
              </Form>
            </BlockStack>
          </Card>
        </Layout.AnnotatedSection>
        <LinePlanSection />
        <AssistantModelSettings />
      </Layout>
    </Page>
  );
}

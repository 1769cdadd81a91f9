// Settings → the segment assistant's optional OpenAI-compatible model (base URL, model, API key).
// Loads and saves through the app.settings.assistant resource route; the key is write-only.
import { useFetcher } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, Checkbox, FormLayout, Layout, TextField } from "@shopify/polaris";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";

interface Data {
  settings: { enabled: boolean; baseUrl: string; model: string; hasApiKey: boolean };
  errors: Record<string, string>;
  saved: boolean;
}

export function AssistantModelSettings() {
  const { t } = useTranslation();
  const load = useFetcher<Data>();
  const save = useFetcher<Data>();
  const [values, setValues] = useState({ enabled: false, baseUrl: "", model: "", apiKey: "" });
  useEffect(() => {
    if (load.state === "idle" && !load.data) load.load("/app/settings/assistant");
  }, [load]);
  useEffect(() => {
    const s = load.data?.settings;
    if (s) setValues({ enabled: s.enabled, baseUrl: s.baseUrl, model: s.model, apiKey: "" });
  }, [load.data]);
  const current = save.data?.settings ?? load.data?.settings;
  const errors = save.data?.errors ?? {};
  return (
    <Layout.AnnotatedSection title={t("assistant.settings.title")} description={t("assistant.settings.description")}>
      <Card>
        <save.Form method="post" action="/app/settings/assistant">
          <BlockStack gap="300">
            {save.data?.saved && <Banner tone="success">{t("assistant.settings.saved")}</Banner>}
            <FormLayout>
              <Checkbox
                label={t("assistant.settings.enabled")}
                checked={values.enabled}
                onChange={(v) => setValues((s) => ({ ...s, enabled: v }))}
              />
              <TextField
                label={t("assistant.settings.baseUrl")}
                name="baseUrl"
                value={values.baseUrl}
                onChange={(v) => setValues((s) => ({ ...s, baseUrl: v }))}
                placeholder="https://api.openai.com/v1"
                error={errors.baseUrl}
                autoComplete="off"
              />
              <TextField
                label={t("assistant.settings.model")}
                name="model"
                value={values.model}
                onChange={(v) => setValues((s) => ({ ...s, model: v }))}
                error={errors.model}
                autoComplete="off"
              />
              <TextField
                label={t("assistant.settings.apiKey")}
                name="apiKey"
                type="password"
                value={values.apiKey}
                onChange={(v) => setValues((s) => ({ ...s, apiKey: v }))}
                helpText={current?.hasApiKey ? t("assistant.settings.apiKeyKept") : undefined}
                autoComplete="off"
              />
              {values.enabled && <input type="hidden" name="enabled" value="on" />}
              <Button submit loading={save.state !== "idle"}>
                {t("assistant.settings.save")}
              </Button>
            </FormLayout>
          </BlockStack>
        </save.Form>
      </Card>
    </Layout.AnnotatedSection>
  );
}

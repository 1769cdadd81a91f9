// Settings → the segment assistant's optional OpenAI-compatible model (base URL, model, API key).
// Loads and saves through the app.settings.assistant resource route; the key is write-only. A setting:
// edited in place and kept by the contextual save bar (Save / Discard), leaving with changes asks first.
import { useFetcher } from "@remix-run/react";
import { BlockStack, Card, Checkbox, FormLayout, Layout, TextField } from "@shopify/polaris";
import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import { useFormErrors } from "~/components/form-errors";
import { ContextualSaveBar, useDirtyForm } from "~/components/save-bar";
import { showToast } from "~/components/toast";
import type { FormErrors } from "~/domain/forms/parse";

interface Settings {
  enabled: boolean;
  baseUrl: string;
  model: string;
  hasApiKey: boolean;
}
interface Data {
  settings: Settings;
  errors: FormErrors;
  saved: boolean;
}

const formOf = (s: Settings) => ({ enabled: s.enabled, baseUrl: s.baseUrl, model: s.model, apiKey: "" });

export function AssistantModelSettings() {
  const { t } = useTranslation();
  const load = useFetcher<Data>();
  const save = useFetcher<Data>();
  const { values, setValues, dirty, reset, markSaved } = useDirtyForm(formOf({ enabled: false, baseUrl: "", model: "", hasApiKey: false }));
  useEffect(() => {
    if (load.state === "idle" && !load.data) load.load("/app/settings/assistant");
  }, [load]);
  // The stored settings become the form once. Remix revalidates this fetcher after every action on
  // the page (this form's save included): applying it again would throw away what is being typed.
  const loaded = useRef(false);
  useEffect(() => {
    if (!load.data?.settings || loaded.current) return;
    loaded.current = true;
    markSaved(formOf(load.data.settings));
  }, [load.data, markSaved]);
  // What the server stored (base URL without a trailing "/") becomes the form and its saved state.
  // Each save's answer is applied once, whatever else re-runs the effect (`t` changes identity).
  const applied = useRef<Data | null>(null);
  useEffect(() => {
    if (save.state !== "idle" || !save.data?.saved || applied.current === save.data) return;
    applied.current = save.data;
    markSaved(formOf(save.data.settings));
    showToast(t("assistant.settings.saved"));
  }, [save.state, save.data, markSaved, t]);
  const current = save.data?.settings ?? load.data?.settings;
  const errors = useFormErrors(save.state === "idle" ? save.data?.errors : undefined);
  const submit = () =>
    save.submit(
      { enabled: values.enabled ? "on" : "", baseUrl: values.baseUrl, model: values.model, apiKey: values.apiKey },
      { method: "post", action: "/app/settings/assistant" },
    );
  return (
    <Layout.AnnotatedSection title={t("assistant.settings.title")} description={t("assistant.settings.description")}>
      <ContextualSaveBar id="assistant-model-save-bar" dirty={dirty} saving={save.state !== "idle"} onSave={submit} onDiscard={reset} />
      <Card>
        <BlockStack gap="300">
          <FormLayout>
            <Checkbox
              label={t("assistant.settings.enabled")}
              checked={values.enabled}
              disabled={!load.data}
              onChange={(v) => setValues((s) => ({ ...s, enabled: v }))}
            />
            <TextField
              label={t("assistant.settings.baseUrl")}
              name="baseUrl"
              disabled={!load.data}
              value={values.baseUrl}
              onChange={(v) => setValues((s) => ({ ...s, baseUrl: v }))}
              placeholder="https://api.openai.com/v1"
              error={errors.baseUrl}
              autoComplete="off"
            />
            <TextField
              label={t("assistant.settings.model")}
              name="model"
              disabled={!load.data}
              value={values.model}
              onChange={(v) => setValues((s) => ({ ...s, model: v }))}
              error={errors.model}
              autoComplete="off"
            />
            <TextField
              label={t("assistant.settings.apiKey")}
              name="apiKey"
              disabled={!load.data}
              type="password"
              value={values.apiKey}
              onChange={(v) => setValues((s) => ({ ...s, apiKey: v }))}
              helpText={current?.hasApiKey ? t("assistant.settings.apiKeyKept") : undefined}
              error={errors.apiKey}
              autoComplete="off"
            />
          </FormLayout>
        </BlockStack>
      </Card>
    </Layout.AnnotatedSection>
  );
}

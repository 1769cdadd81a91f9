// Settings → the segment assistant's optional OpenAI-compatible model (base URL, model, API key).
// A section of the Settings form (app/routes/app.settings.tsx owns the values, the save bar and the
// save); the key is write-only: the field starts empty and says when one is stored.
import { BlockStack, Card, Checkbox, FormLayout, Layout, TextField } from "@shopify/polaris";
import { useTranslation } from "react-i18next";

export interface AssistantModelValues {
  enabled: boolean;
  baseUrl: string;
  model: string;
  apiKey: string;
}

export function AssistantModelSettings({
  values,
  onChange,
  errors,
  hasApiKey,
}: {
  values: AssistantModelValues;
  onChange: (v: AssistantModelValues) => void;
  /** field → message, already in the merchant's language */
  errors: Record<string, string>;
  hasApiKey: boolean;
}) {
  const { t } = useTranslation();
  const set =
    <K extends keyof AssistantModelValues>(k: K) =>
    (v: AssistantModelValues[K]) =>
      onChange({ ...values, [k]: v });
  return (
    <Layout.AnnotatedSection title={t("assistant.settings.title")} description={t("assistant.settings.description")}>
      <Card>
        <BlockStack gap="300">
          <FormLayout>
            <Checkbox label={t("assistant.settings.enabled")} checked={values.enabled} onChange={set("enabled")} />
            <TextField
              label={t("assistant.settings.baseUrl")}
              value={values.baseUrl}
              onChange={set("baseUrl")}
              placeholder="https://api.openai.com/v1"
              error={errors.baseUrl}
              autoComplete="off"
            />
            <TextField
              label={t("assistant.settings.model")}
              value={values.model}
              onChange={set("model")}
              error={errors.model}
              autoComplete="off"
            />
            <TextField
              label={t("assistant.settings.apiKey")}
              type="password"
              value={values.apiKey}
              onChange={set("apiKey")}
              helpText={hasApiKey ? t("assistant.settings.apiKeyKept") : undefined}
              error={errors.apiKey}
              autoComplete="off"
            />
          </FormLayout>
        </BlockStack>
      </Card>
    </Layout.AnnotatedSection>
  );
}

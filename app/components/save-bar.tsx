// The contextual save bar of a settings or edit form (Polaris pattern "contextual save bar"): shown
// while the form has unsaved changes, with Save and Discard. Inside Shopify admin it is App Bridge's
// `ui-save-bar` (<SaveBar> from @shopify/app-bridge-react 4; the admin itself then asks before leaving,
// https://shopify.dev/docs/api/app-bridge-library/react-components/save-bar). In the sandbox, where no
// Shopify admin is around the app, a sticky Polaris bar does the same, and leaving the page with
// unsaved changes (a link in the app or closing the tab) asks first.
import { useBeforeUnload, useBlocker, useRouteLoaderData } from "@remix-run/react";
import { SaveBar } from "@shopify/app-bridge-react";
import { BlockStack, Box, Button, InlineStack, Modal, Text } from "@shopify/polaris";
import { useCallback, useState } from "react";
import { useTranslation } from "react-i18next";

/**
 * Form values with their last saved state: `dirty` when they differ (compared as JSON), `reset()`
 * puts the saved values back (Discard), `markSaved(v)` makes `v` the saved state (after a save).
 */
export function useDirtyForm<T>(saved: T) {
  const [values, setValues] = useState(saved);
  const [base, setBase] = useState(saved);
  const dirty = JSON.stringify(values) !== JSON.stringify(base);
  const reset = useCallback(() => setValues(base), [base]);
  const markSaved = useCallback((v: T) => {
    setBase(v);
    setValues(v);
  }, []);
  return { values, setValues, dirty, reset, markSaved };
}

/** The save bar for one form: `id` unique on the page; `onSave` submits, `onDiscard` restores the saved values. */
export function ContextualSaveBar({
  id,
  dirty,
  saving,
  onSave,
  onDiscard,
}: {
  id: string;
  dirty: boolean;
  saving?: boolean;
  onSave: () => void;
  onDiscard: () => void;
}) {
  const layout = useRouteLoaderData<{ embedded: boolean }>("routes/app");
  if (layout?.embedded)
    return (
      <SaveBar id={id} open={dirty}>
        <button variant="primary" onClick={onSave} loading={saving ? "" : undefined} />
        <button onClick={onDiscard} />
      </SaveBar>
    );
  return <SandboxSaveBar dirty={dirty} saving={saving} onSave={onSave} onDiscard={onDiscard} />;
}

function SandboxSaveBar({
  dirty,
  saving,
  onSave,
  onDiscard,
}: {
  dirty: boolean;
  saving?: boolean;
  onSave: () => void;
  onDiscard: () => void;
}) {
  const { t } = useTranslation();
  // A save submits to this page's own action: only navigation to another page is held back.
  const blocker = useBlocker(({ currentLocation, nextLocation }) => dirty && currentLocation.pathname !== nextLocation.pathname);
  useBeforeUnload(
    useCallback(
      (e: BeforeUnloadEvent) => {
        if (dirty) e.preventDefault();
      },
      [dirty],
    ),
  );
  return (
    <>
      {dirty && (
        <div role="region" aria-label={t("saveBar.unsaved")} data-save-bar style={{ position: "sticky", top: 0, zIndex: 400 }}>
          <Box background="bg-fill-inverse" padding="300" borderRadius="200">
            <InlineStack align="space-between" blockAlign="center">
              <Text as="p" tone="text-inverse" fontWeight="semibold">
                {t("saveBar.unsaved")}
              </Text>
              <InlineStack gap="200">
                <Button onClick={onDiscard}>{t("saveBar.discard")}</Button>
                <Button variant="primary" onClick={onSave} loading={saving}>
                  {t("saveBar.save")}
                </Button>
              </InlineStack>
            </InlineStack>
          </Box>
        </div>
      )}
      {blocker.state === "blocked" && (
        <Modal
          open
          title={t("saveBar.leaveTitle")}
          onClose={() => blocker.reset()}
          primaryAction={{ content: t("saveBar.leave"), destructive: true, onAction: () => blocker.proceed() }}
          secondaryActions={[{ content: t("saveBar.stay"), onAction: () => blocker.reset() }]}
        >
          <Modal.Section>
            <BlockStack>
              <Text as="p">{t("saveBar.leaveBody")}</Text>
            </BlockStack>
          </Modal.Section>
        </Modal>
      )}
    </>
  );
}

// A route's ErrorBoundary for ids that do not exist (a deleted segment, an old link): a Polaris page
// saying so in the merchant's language, with the way back — instead of a bare 404.
import { isRouteErrorResponse, useRouteError } from "@remix-run/react";
import { Card, EmptyState, Page } from "@shopify/polaris";
import { useTranslation } from "react-i18next";

/** Renders the not-found page for a 404 response; rethrows anything else to the next boundary. */
export function NotFoundBoundary({ what, backUrl }: { what: "segment" | "richMenu" | "friend" | "broadcast"; backUrl: string }) {
  const error = useRouteError();
  const { t } = useTranslation();
  if (!isRouteErrorResponse(error) || error.status !== 404) throw error;
  return (
    <Page>
      <Card>
        <EmptyState heading={t(`notFound.${what}.heading`)} action={{ content: t(`notFound.${what}.back`), url: backUrl }} image="">
          <p>{t("notFound.body")}</p>
        </EmptyState>
      </Card>
    </Page>
  );
}

// Segment definition issues in the merchant's language: parseDefinition (app/domain/segments/schema.ts)
// reports a code with its values; this is the one place that turns them into words
// (`segments.issue.<code>` in app/locales). Their English `message` is for the CLI and the API.
import { useTranslation } from "react-i18next";
import type { DefinitionIssue } from "~/domain/segments/schema";
import { useFormat } from "~/components/format";

/** `(issue) => text` in the admin language; numbers in its values formatted for that language. */
export function useIssueText() {
  const { t } = useTranslation();
  const fmt = useFormat();
  return (i: Pick<DefinitionIssue, "code" | "params">) => {
    const values = Object.fromEntries(
      Object.entries(i.params ?? {}).map(([k, v]) => [k, typeof v === "number" && k !== "count" ? fmt.number(v) : v]),
    );
    return t(`segments.issue.${i.code}`, values);
  };
}

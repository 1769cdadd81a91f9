// The messages of a FormErrors map (app/domain/forms/parse.ts) in the merchant's admin language.
import { useTranslation } from "react-i18next";
import type { FormErrors } from "~/domain/forms/parse";

/** field → translated message, ready for a Polaris field's `error`; {} when there are none. */
export function useFormErrors(
  errors: FormErrors | null | undefined,
  params?: Record<string, Record<string, string | number>> | null,
): Record<string, string> {
  const { t } = useTranslation();
  return Object.fromEntries(
    Object.entries(errors ?? {}).map(([field, key]) => [field, String(t(key as never, (params?.[field] ?? {}) as never))]),
  );
}

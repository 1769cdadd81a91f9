// Broadcast problems and errors in the merchant's language: the server returns codes (and numbers),
// the page words them with i18next (app/locales/*/admin.json "broadcasts.*"; docs/i18n.md).
import type { TFunction } from "i18next";
import type { ComposeProblem } from "~/domain/broadcasts/compose";

/** A refused action's reason as the server returns it: a broadcasts.errors.* key and its values. */
export type ErrorCode = { code: string; params?: Record<string, string | number> };

/** One composer problem in plain words (message numbers are 1-based for people). */
export function describeComposeProblem(t: TFunction<"admin">, p: ComposeProblem): string {
  if (p.field === "couponUrl" && p.code === "link_not_http") return t("broadcasts.problems.couponUrl");
  return t(`broadcasts.problems.${p.code}`, { n: (p.block ?? 0) + 1, limit: p.limit ?? "" });
}

export function describeError(
  t: TFunction<"admin">,
  e: ErrorCode | undefined,
  /** Shown in the merchant's words rather than as the server sent them, e.g. the time zone's name. */
  display: Record<string, string> = {},
): string | undefined {
  return e
    ? t(`broadcasts.errors.${e.code}` as "broadcasts.errors.name", { ...e.params, ...(e.params?.timezone ? display : {}) })
    : undefined;
}

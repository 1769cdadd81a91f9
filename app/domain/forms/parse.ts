// One way to read an admin form: a zod schema beside the route (app/routes/<route>.schema.ts) parses
// the FormData, and every refusal is one FormErrors map, field → i18n key of the message, that the
// page shows next to the field in the merchant's language (useFormErrors in app/components).
import { z } from "zod";

/** Field name → i18n key of the message shown next to that field (admin namespace, app/locales/<lng>/admin.json). */
export type FormErrors = Record<string, string>;

export type FormResult<T> = { ok: true; data: T } | { ok: false; errors: FormErrors };

/**
 * Messages for what a schema refuses without naming its own key (`forms.errors.<code>`). A schema
 * names a specific message by passing its i18n key as the zod message, e.g.
 * `z.string().min(1, "richMenus.create.errors.nameRequired")`.
 */
const GENERIC_KEYS: Partial<Record<z.core.$ZodIssue["code"], string>> = {
  too_small: "forms.errors.tooSmall",
  too_big: "forms.errors.tooBig",
  invalid_value: "forms.errors.invalidChoice",
};

function issueKey(issue: z.core.$ZodIssue): string {
  if (issue.message.includes(".") && !issue.message.includes(" ")) return issue.message;
  return GENERIC_KEYS[issue.code] ?? "forms.errors.invalid";
}

/**
 * FormData (or URLSearchParams) → plain object: a name given once is a string, a name given more
 * than once (checkbox groups, multi-selects) is a string[]; files are left out (no admin form uploads
 * through this path). The schema decides the types from there (z.coerce, preprocessors).
 */
export function formObject(form: FormData | URLSearchParams): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [key, value] of form.entries()) {
    if (typeof value !== "string") continue;
    const prev = out[key];
    out[key] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
  }
  return out;
}

/**
 * Parses an admin form with `schema`. On refusal, errors holds the first message key per field
 * (the issue's path joined with "."; "form" for an issue about the whole form).
 */
export function parseForm<S extends z.ZodType>(schema: S, form: FormData | URLSearchParams): FormResult<z.output<S>> {
  const parsed = schema.safeParse(formObject(form));
  if (parsed.success) return { ok: true, data: parsed.data };
  const errors: FormErrors = {};
  for (const issue of parsed.error.issues) {
    const field = issue.path.length ? issue.path.map(String).join(".") : "form";
    errors[field] ??= issueKey(issue);
  }
  return { ok: false, errors };
}

/** A form string field: trimmed, "" when the form did not send it. */
export const formText = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (Array.isArray(v) ? (v[0] ?? "") : (v ?? "")).trim());

/** A form field that may repeat (checkbox group): always a string[]. */
export const formList = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]));

/** A checkbox: on when sent with any value but "" / "0" / "false". */
export const formFlag = z
  .string()
  .optional()
  .transform((v) => v !== undefined && v !== "" && v !== "0" && v !== "false");

/**
 * Parses a loader's query string (a request's URL, or route params given as a record) with `schema`,
 * the same way as a form: one FormErrors map on refusal. Loaders usually give their schema `.catch()`
 * defaults (a bad page or range falls back to the first one) and only refuse what they cannot serve.
 */
export function parseSearchParams<S extends z.ZodType>(
  schema: S,
  source: Request | URL | Record<string, string | undefined>,
): FormResult<z.output<S>> {
  const params =
    source instanceof Request
      ? new URL(source.url).searchParams
      : source instanceof URL
        ? source.searchParams
        : new URLSearchParams(Object.entries(source).filter((e): e is [string, string] => e[1] !== undefined));
  return parseForm(schema, params);
}

/** A database id: a positive integer written in digits only (no "1e3", " 7", "-1"), within PostgreSQL's int. */
const idDigits = (message: string) =>
  z
    .string()
    .regex(/^[1-9]\d{0,9}$/, message)
    .transform(Number)
    .pipe(z.number().int().max(2_147_483_647, message));

/** A database id in a form or URL. */
export const formId = formText.pipe(idDigits("forms.errors.invalid"));

/** Ids from a repeated field (checkbox group, multi-select): each a database id; `message` for a bad one. */
export const formIdList = (message = "forms.errors.invalid") => formList.pipe(z.array(idDigits(message)));

/** An optional id: "" (nothing chosen) is null, anything else must be a database id. */
export const formOptionalId = formText.pipe(z.union([z.literal("").transform(() => null), idDigits("forms.errors.invalid")]));

/**
 * A field holding JSON (an editor's state the page serialises: segment conditions, menu rules, tap
 * areas), checked by `schema`; issues inside it are reported under the field's name (`rules.0.dwellHours`).
 */
export function formJson<S extends z.ZodType>(schema: S, invalidKey = "forms.errors.invalid") {
  return formText
    .transform((s, ctx): unknown => {
      try {
        return JSON.parse(s);
      } catch {
        ctx.addIssue({ code: "custom", message: invalidKey });
        return z.NEVER;
      }
    })
    .pipe(schema);
}

/** The file a multipart form sent under `name` (uploads are not part of the parsed object), or null. */
export function formFile(form: FormData, name: string): Blob | null {
  const v = form.get(name);
  return v instanceof Blob && v.size > 0 ? v : null;
}

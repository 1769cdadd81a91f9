// Product picker (resource route): a title search or the stored ids whose titles to show.
import { z } from "zod";
import { formText } from "~/domain/forms/parse";

/** Shopify product ids: up to 19 digits (a bigint). */
const productId = z.string().regex(/^\d{1,19}$/, "forms.errors.invalid");

/**
 * ?ids=1,2 (at most 200, each a product id) → their titles; else ?q=<title text> (cut to 100
 * characters) → a search. Whether an id is one of this shop's products is the query's check.
 */
export const ProductsQuery = z.object({
  ids: z
    .string()
    .optional()
    .transform((v) =>
      v === undefined
        ? undefined
        : v
            .split(",")
            .map((id) => id.trim())
            .filter(Boolean),
    )
    .pipe(z.array(productId).max(200, "forms.errors.tooBig").optional()),
  q: formText.transform((q) => q.slice(0, 100)),
});

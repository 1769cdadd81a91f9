// JSON.parse that never rounds an integer. Shopify ids are 64-bit integers sent as JSON numbers
// (REST webhook bodies); a JavaScript number holds integers exactly only up to 2^53 − 1, so two
// distinct 18-digit order ids can parse to the same number. Integers beyond that range are returned
// as their exact decimal text (the id schemas accept digit strings); everything else parses as usual.
// Uses JSON.parse source text access (the reviver's `context.source`, Node ≥ 21; this app needs ≥ 22):
// docs/decisions/005-lossless-json-ids.md.

type SourceContext = { source?: string };

const INTEGER = /^-?\d+$/;

function keepExactIntegers(this: unknown, _key: string, value: unknown, context?: SourceContext): unknown {
  if (typeof value === "number" && !Number.isSafeInteger(value) && context?.source !== undefined && INTEGER.test(context.source))
    return context.source;
  return value;
}

/** JSON.parse with unsafe integers kept as exact digit strings. Throws SyntaxError like JSON.parse. */
export function parseJsonLossless(text: string): unknown {
  return JSON.parse(text, keepExactIntegers as (this: unknown, key: string, value: unknown) => unknown);
}

/** True when the runtime gives the reviver the source text (checked once at startup by the caller). */
export function losslessJsonSupported(): boolean {
  return parseJsonLossless("9007199254740993") === "9007199254740993";
}

// Product picker (Polaris Autocomplete): search the shop's products by title, show the chosen ones
// by title, keep their Shopify product ids as the value. The data comes from a ProductSource: the
// page creates one with useProductSource (the app.products resource route); without one the picker
// still renders (server-side tests) with nothing to search.
import { useFetcher } from "@remix-run/react";
import { Autocomplete, BlockStack, InlineStack, Tag } from "@shopify/polaris";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";

type ProductsResponse = { products: Array<{ id: string; title: string }> };

export interface ProductSource {
  /** Results of the latest search. */
  options: Array<{ id: string; title: string }>;
  /** Titles of every product seen (searched or stored), by id. */
  titles: Record<string, string>;
  loading: boolean;
  search(query: string): void;
}

const NO_PRODUCTS: ProductSource = { options: [], titles: {}, loading: false, search: () => {} };

/** A ProductSource over the app.products resource route; `storedIds` get their titles fetched once. */
export function useProductSource(storedIds: string[]): ProductSource {
  const search = useFetcher<ProductsResponse>();
  const stored = useFetcher<ProductsResponse>();
  const [titles, setTitles] = useState<Record<string, string>>({});
  const timer = useRef<ReturnType<typeof setTimeout>>();
  const { load: loadSearch } = search;
  const { load: loadStored } = stored;
  const idList = [...new Set(storedIds)].sort().join(",");
  useEffect(() => {
    if (idList) loadStored(`/app/products?ids=${encodeURIComponent(idList)}`);
  }, [idList, loadStored]);
  useEffect(() => {
    const found = [...(stored.data?.products ?? []), ...(search.data?.products ?? [])];
    if (found.length) setTitles((m) => ({ ...m, ...Object.fromEntries(found.map((p) => [p.id, p.title])) }));
  }, [stored.data, search.data]);
  useEffect(() => () => clearTimeout(timer.current), []);
  const run = useCallback(
    (q: string) => {
      clearTimeout(timer.current);
      timer.current = setTimeout(() => loadSearch(`/app/products?q=${encodeURIComponent(q)}`), 250);
    },
    [loadSearch],
  );
  return useMemo(
    () => ({ options: search.data?.products ?? [], titles, loading: search.state !== "idle", search: run }),
    [search.data, search.state, titles, run],
  );
}

export function ProductPicker(props: {
  label: string;
  value: string[];
  onChange: (ids: string[]) => void;
  error?: boolean;
  source?: ProductSource;
}) {
  const { t } = useTranslation();
  const source = props.source ?? NO_PRODUCTS;
  const [input, setInput] = useState("");
  const selected = props.value;
  return (
    <BlockStack gap="100">
      <Autocomplete
        allowMultiple
        options={source.options.map((p) => ({ value: p.id, label: p.title }))}
        selected={selected}
        loading={source.loading}
        emptyState={t("pickers.product.none")}
        onSelect={(sel) => {
          props.onChange(sel);
          setInput("");
        }}
        textField={
          <Autocomplete.TextField
            label={props.label}
            value={input}
            onChange={(v) => {
              setInput(v);
              source.search(v);
            }}
            onFocus={() => source.search(input)}
            placeholder={t("pickers.product.search")}
            autoComplete="off"
            error={props.error}
          />
        }
      />
      {selected.length > 0 && (
        <InlineStack gap="100">
          {selected.map((id) => (
            <Tag key={id} onRemove={() => props.onChange(selected.filter((x) => x !== id))}>
              {source.titles[id] ?? t("pickers.product.unknown", { id })}
            </Tag>
          ))}
        </InlineStack>
      )}
    </BlockStack>
  );
}

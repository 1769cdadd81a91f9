// What the segment editor may offer for HubSpot / Klaviyo conditions: only connected providers
// appear, with their synced lists and contact/profile properties (IntegrationList /
// IntegrationProperty). Isomorphic: the loader builds it, the editor and summaries read it.
import type { ExternalProperty, Provider } from "./types";

export interface ProviderChoices {
  lists: Array<{ externalId: string; name: string }>;
  properties: ExternalProperty[];
}

/** Connected providers only; a missing key = not connected (its conditions are not offered). */
export type IntegrationChoices = Partial<Record<Provider, ProviderChoices>>;

/**
 * List names and property / option labels for describeDefinition, keyed `<provider>:<external id>`
 * and `<provider>:<property name>` (segments' SummaryNames extends this: segments depend on
 * integrations, never the other way).
 */
export interface IntegrationNames {
  lists: Map<string, string>;
  properties: Map<string, { label: string; options?: Map<string, string> }>;
}

export function summaryNames(choices: IntegrationChoices): IntegrationNames {
  const lists = new Map<string, string>();
  const properties = new Map<string, { label: string; options?: Map<string, string> }>();
  for (const [provider, c] of Object.entries(choices) as Array<[Provider, ProviderChoices]>) {
    for (const l of c.lists) lists.set(`${provider}:${l.externalId}`, l.name);
    for (const p of c.properties)
      properties.set(`${provider}:${p.name}`, {
        label: p.label,
        options: p.options ? new Map(p.options.map((o) => [o.value, o.label])) : undefined,
      });
  }
  return { lists, properties };
}

// The HubSpot / Klaviyo choices the segment editor offers (connected providers, their synced lists
// and properties) — what the segment edit/new and preview routes load.
import { db } from "~/db.server";
import type { IntegrationChoices, ProviderChoices } from "~/domain/integrations/segment-choices";
import { PROVIDERS, type PropertyType, type Provider } from "~/domain/integrations/types";

/**
 * One entry per provider with an IntegrationConnection row (any status: a connection in "error"
 * still has its synced data), lists by name and properties by label. Shop-scoped.
 */
export async function segmentIntegrationChoices(shopId: number): Promise<IntegrationChoices> {
  const connections = await db().integrationConnection.findMany({ where: { shopId }, select: { provider: true } });
  const providers = connections.map((c) => c.provider).filter((p): p is Provider => (PROVIDERS as readonly string[]).includes(p));
  if (!providers.length) return {};
  const [lists, properties] = await Promise.all([
    db().integrationList.findMany({
      where: { shopId, provider: { in: providers } },
      select: { provider: true, externalId: true, name: true },
      orderBy: [{ name: "asc" }, { externalId: "asc" }],
    }),
    db().integrationProperty.findMany({
      where: { shopId, provider: { in: providers } },
      select: { provider: true, name: true, label: true, type: true, options: true },
      orderBy: [{ label: "asc" }, { name: "asc" }],
    }),
  ]);
  const out: IntegrationChoices = {};
  for (const p of providers) out[p] = { lists: [], properties: [] } satisfies ProviderChoices;
  for (const l of lists) out[l.provider as Provider]?.lists.push({ externalId: l.externalId, name: l.name });
  for (const p of properties)
    out[p.provider as Provider]?.properties.push({
      name: p.name,
      label: p.label,
      type: p.type as PropertyType,
      ...(Array.isArray(p.options) ? { options: p.options as Array<{ value: string; label: string }> } : {}),
    });
  return out;
}

// What the Integrations admin page shows per available provider: the connection (never its
// credential), the latest sync run, mirrored counts and the properties a LINE user id may live in.
import { db } from "~/db.server";
import type { Provider } from "~/domain/integrations/types";
import { CONNECTORS } from "./connections.server";

/** Providers with a registered connector, each with its connection state (null = not connected). */
export async function integrationsOverview(shopId: number) {
  const providers = Object.keys(CONNECTORS) as Provider[];
  return Promise.all(
    providers.map(async (provider) => {
      const where = { shopId, provider };
      const [connection, run, contacts, matchedCustomers, matchedFriends, lists, textProperties] = await Promise.all([
        db().integrationConnection.findUnique({
          where: { shopId_provider: where },
          select: { accountName: true, lineUserIdProperty: true, status: true, lastError: true, syncedThrough: true, connectedAt: true },
        }),
        db().integrationSyncRun.findFirst({
          where,
          orderBy: { id: "desc" },
          select: {
            kind: true,
            status: true,
            phase: true,
            processed: true,
            rateLimited: true,
            error: true,
            startedAt: true,
            finishedAt: true,
          },
        }),
        db().integrationContact.count({ where }),
        db().integrationContact.count({ where: { ...where, customerId: { not: null } } }),
        db().integrationContact.count({ where: { ...where, friendId: { not: null } } }),
        db().integrationList.count({ where }),
        db().integrationProperty.findMany({
          where: { ...where, type: "string" },
          select: { name: true, label: true },
          orderBy: { label: "asc" },
        }),
      ]);
      return { provider, connection, run, counts: { contacts, matchedCustomers, matchedFriends, lists }, textProperties };
    }),
  );
}

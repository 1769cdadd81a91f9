// A customer's current tags from Admin GraphQL (Customer.tags). customer.tags_added/_removed deliveries
// carry only the changed tags and may arrive out of order, so the handler re-reads the whole list:
// the read is the truth at that moment whatever order the deliveries came in.
import { adminGraphql } from "~/shopify.server";

const CUSTOMER_TAGS_QUERY = `query CustomerTags($id: ID!) { customer(id: $id) { tags } }`;

/** The customer's tags now, or null when Shopify no longer has the customer. Errors throw (job retries). */
export async function fetchCustomerTags(shopDomain: string, shopifyCustomerId: bigint): Promise<string[] | null> {
  const gql = await adminGraphql(shopDomain);
  const data = (await gql(CUSTOMER_TAGS_QUERY, { id: `gid://shopify/Customer/${shopifyCustomerId}` })) as {
    customer?: { tags?: string[] } | null;
  };
  return data.customer ? (data.customer.tags ?? []).map(String) : null;
}

/**
 * The flagship query: one order, its invoices, and for every line the SKU with its ISOlocity part
 * (inspections and NCRs) and live stock in every vendor. GraphiQL opens with it, the tests count
 * its vendor calls, and the benchmark times it.
 */
export const FLAGSHIP_QUERY = /* GraphQL */ `query Flagship($id: ID!) {
  order(id: $id) {
    id
    vendor
    number
    status
    vendorStatus
    orderedAt
    total
    invoices { id number status total invoicedAt dueAt }
    lines {
      quantity
      unitPrice
      lotNumber
      sku {
        code
        name
        part {
          id
          identification
          inspections { id passed sampleSize lotNumber }
          ncrs { id number status lotNumber quantity }
        }
        inventory {
          vendor
          location { id name }
          lotNumber
          onHand
          available
          updatedAt
        }
      }
    }
  }
}`;

/** The same, as GraphiQL shows it: with the variables of a real order filled in. */
export function flagshipGraphiql(orderId: string): { query: string; variables: string } {
  return { query: FLAGSHIP_QUERY, variables: JSON.stringify({ id: orderId }, null, 2) };
}

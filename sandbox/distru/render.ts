import { format, multiply, percentOf, round, type Decimal } from './decimal.js';
import { formatDatetime, formatNullableDatetime } from './datetime.js';
import type { Batch, Charge, Company, InventoryCell, Invoice, InvoiceStatus, Location, Order, OrderStatus, Package, Product, Purchase, TestResult } from './records.js';
import type { DistruStore } from './store.js';

/**
 * Records → Distru JSON, field for field as the recorded responses in seed 002 show them: decimals
 * as strings (quantities and unit prices nine places, totals and charge prices two, percents four),
 * datetimes with six fractional digits, absent references as null.
 */

/** Distru shows an order's status in title case where it embeds the order in an invoice (seed 002, invoices). */
const ORDER_STATUS_TITLE: Record<OrderStatus, string> = {
  PENDING: 'Pending',
  PROCESSING: 'Processing',
  READY_TO_SHIP: 'Ready to Ship',
  DELIVERING: 'Delivering',
  DELIVERED: 'Delivered',
  COMPLETED: 'Completed',
  CANCELED: 'Canceled',
};

/** `status[]` filter values of invoices (seed 002) → the status invoices carry. */
export const INVOICE_STATUS_FILTER: Record<string, InvoiceStatus> = {
  'Not Paid': 'NOT_PAID',
  'Partially Paid': 'PARTIALLY_PAID',
  'Fully Paid': 'FULLY_PAID',
  'Over Paid': 'OVER_PAID',
};

export class DistruRenderer {
  constructor(private readonly store: DistruStore) {}

  user(id: string | null): unknown {
    const user = id === null ? undefined : this.store.users.get(id);
    return user ? { banned: user.banned, email: user.email, full_name: user.fullName, id: user.id } : null;
  }

  companyRef(id: string | null): unknown {
    const company = id === null ? undefined : this.store.companies.get(id);
    return company ? { id: company.id, name: company.name, updated_datetime: formatDatetime(company.updatedAt) } : null;
  }

  locationRef(id: string | null): unknown {
    const location = id === null ? undefined : this.store.locations.get(id);
    return location ? { address: location.address, company_id: location.companyId, id: location.id, name: location.name } : null;
  }

  productRef(id: string): unknown {
    const product = this.store.products.get(id);
    return product ? { id: product.id, name: product.name, sku: product.sku, updated_datetime: formatDatetime(product.updatedAt) } : null;
  }

  batchRef(id: string | null): unknown {
    const batch = id === null ? undefined : this.store.batches.get(id);
    return batch ? { batch_number: batch.batchNumber, id: batch.id, name: batch.name } : null;
  }

  packageRef(id: string | null): unknown {
    const pkg = id === null ? undefined : this.store.packages.get(id);
    return pkg ? { batch_number: this.store.batches.get(pkg.batchId)?.batchNumber ?? null, compliance_label: pkg.complianceLabel, id: pkg.id } : null;
  }

  product(p: Product): unknown {
    return {
      brand: this.companyRef(p.brandCompanyId),
      category: { id: p.category.id, name: p.category.name },
      id: p.id,
      name: p.name,
      sku: p.sku,
      unit_price: p.unitPrice,
      unit_type: { name: p.unitType },
      units_per_case: p.unitsPerCase,
      updated_datetime: formatDatetime(p.updatedAt),
      vendor: this.companyRef(p.vendorCompanyId),
    };
  }

  batch(b: Batch): unknown {
    return { batch_number: b.batchNumber, id: b.id, name: b.name, primary_test_result: testResult(b.testResult) };
  }

  package(p: Package): unknown {
    return {
      batch_number: this.store.batches.get(p.batchId)?.batchNumber ?? null,
      compliance_label: p.complianceLabel,
      id: p.id,
      license: { license_number: p.licenseNumber },
      primary_test_result: testResult(p.testResult),
    };
  }

  company(c: Company): unknown {
    return {
      id: c.id,
      licenses: c.licenses.map((license_number) => ({ license_number })),
      locations: c.locationIds.map((id) => this.locationRef(id)).filter((l) => l !== null),
      name: c.name,
      updated_datetime: formatDatetime(c.updatedAt),
    };
  }

  location(l: Location): unknown {
    return { address: l.address, company_id: l.companyId, id: l.id, license: l.licenseNumber === null ? null : { license_number: l.licenseNumber }, name: l.name };
  }

  inventory(cell: InventoryCell, grouping: { location: boolean; batch: boolean }): unknown {
    return {
      active: format(cell.active),
      available: format(cell.active - cell.reserved),
      ...(grouping.batch ? { batch_number: cell.batchNumber } : {}),
      ...(grouping.location ? { location_id: cell.locationId } : {}),
      product_id: cell.productId,
      updated_datetime: formatDatetime(cell.updatedAt),
    };
  }

  order(o: Order): unknown {
    const subtotal = o.items.reduce((sum, item) => sum + multiply(item.price, item.quantity), 0n);
    const charges = renderCharges(o.charges, subtotal);
    return {
      billing_location: this.locationRef(o.billingLocationId),
      charges: charges.rendered,
      company: this.companyRef(o.companyId),
      creator: this.user(o.creatorId),
      delivery_datetime: formatNullableDatetime(o.deliveryAt),
      due_datetime: formatNullableDatetime(o.dueAt),
      id: o.id,
      inserted_datetime: formatDatetime(o.insertedAt),
      items: o.items.map((item) => ({
        batch: this.batchRef(item.batchId ?? this.packageBatchId(item.packageId)),
        compliance_quantity: item.complianceQuantity === null ? null : format(item.complianceQuantity, 4),
        id: item.id,
        location: this.locationRef(item.locationId),
        package: this.packageRef(item.packageId),
        price: format(item.price),
        price_base: format(item.priceBase),
        product: this.productRef(item.productId),
        quantity: format(item.quantity),
      })),
      order_datetime: formatDatetime(o.orderAt),
      order_number: o.number,
      owner: this.user(o.ownerId),
      shipping_location: this.locationRef(o.shippingLocationId),
      status: o.status,
      total: format(round(subtotal, 2) + charges.sum, 2),
      updated_datetime: formatDatetime(o.updatedAt),
    };
  }

  /** The order's total as the order itself shows it (embedded in its invoices). */
  orderTotal(o: Order): Decimal {
    const subtotal = o.items.reduce((sum, item) => sum + multiply(item.price, item.quantity), 0n);
    return round(subtotal, 2) + renderCharges(o.charges, subtotal).sum;
  }

  invoice(inv: Invoice): unknown {
    const order = this.store.orders.get(inv.orderId);
    const orderItems = new Map(order?.items.map((item) => [item.id, item]) ?? []);
    const lines = inv.items.map((item) => ({ item, orderItem: orderItems.get(item.orderItemId) }));
    const subtotal = lines.reduce((sum, { item, orderItem }) => sum + (orderItem ? multiply(orderItem.price, item.quantity) : 0n), 0n);
    const charges = renderCharges(inv.charges, subtotal);
    return {
      charges: charges.rendered,
      company: this.companyRef(order?.companyId ?? null),
      creator: this.user(inv.creatorId),
      due_datetime: formatNullableDatetime(inv.dueAt),
      id: inv.id,
      inserted_datetime: formatDatetime(inv.insertedAt),
      invoice_datetime: formatDatetime(inv.invoiceAt),
      invoice_number: inv.number,
      items: lines.map(({ item, orderItem }) => ({
        batch: orderItem ? this.batchRef(orderItem.batchId ?? this.packageBatchId(orderItem.packageId)) : null,
        id: item.id,
        order_item_id: item.orderItemId,
        package: orderItem ? this.packageRef(orderItem.packageId) : null,
        price: orderItem ? format(orderItem.price) : null,
        product: orderItem ? this.productRef(orderItem.productId) : null,
        quantity: format(item.quantity),
      })),
      order: order ? { id: order.id, order_number: order.number, status: ORDER_STATUS_TITLE[order.status], total: format(this.orderTotal(order), 2) } : null,
      owner: this.user(inv.ownerId),
      status: inv.status,
      total: format(round(subtotal, 2) + charges.sum, 2),
      updated_datetime: formatDatetime(inv.updatedAt),
    };
  }

  purchase(p: Purchase): unknown {
    const subtotal = p.items.reduce((sum, item) => sum + multiply(item.price, item.quantity), 0n);
    const charges = renderCharges(p.charges, subtotal);
    return {
      charges: charges.rendered,
      company: this.companyRef(p.companyId),
      due_datetime: formatNullableDatetime(p.dueAt),
      id: p.id,
      inserted_datetime: formatDatetime(p.insertedAt),
      items: p.items.map((item) => ({
        batch: this.batchRef(item.batchId),
        compliance_quantity: null,
        id: item.id,
        location: this.locationRef(item.locationId),
        package: null,
        price: format(item.price),
        price_base: format(item.price),
        product: this.productRef(item.productId),
        quantity: format(item.quantity),
        received_quantity: format(item.receivedQuantity),
      })),
      order_datetime: formatDatetime(p.orderAt),
      purchase_number: p.number,
      status: p.status,
      total: format(round(subtotal, 2) + charges.sum, 2),
      updated_datetime: formatDatetime(p.updatedAt),
    };
  }

  private packageBatchId(packageId: string | null): string | null {
    return packageId === null ? null : (this.store.packages.get(packageId)?.batchId ?? null);
  }
}

/**
 * Charge lines and their sum. A PERCENT line costs that percent of the items' subtotal, a PRICE line
 * its flat price, each rounded to cents; lines do not compound (seed 002: 53 + 10 % + (−5) = 53.30).
 */
function renderCharges(charges: Charge[], subtotal: Decimal): { rendered: unknown[]; sum: Decimal } {
  let sum = 0n;
  const rendered = charges.map((c) => {
    const price = round(c.unitType === 'PERCENT' ? percentOf(subtotal, c.percent ?? 0n) : (c.price ?? 0n), 2);
    sum += price;
    return { id: c.id, name: c.name, percent: c.unitType === 'PERCENT' && c.percent !== null ? format(c.percent, 4) : null, price: format(price, 2), type: c.type, unit_type: c.unitType };
  });
  return { rendered, sum };
}

function testResult(result: TestResult | null): unknown {
  if (!result) return null;
  return {
    cbd_mg_per_unit: '0',
    cbd_mg_per_unit_total: '0',
    cbd_percentage: result.cbdPercentage,
    cbd_percentage_total: result.cbdPercentage,
    mg_per_unit_type: 'mg/g',
    name: result.name,
    thc_mg_per_unit: '0',
    thc_mg_per_unit_total: '0',
    thc_percentage: result.thcPercentage,
    thc_percentage_total: result.thcPercentage,
  };
}

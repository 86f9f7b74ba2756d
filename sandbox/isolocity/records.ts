/**
 * The records the ISOlocity sandbox holds, in the shape the API answers them (snake_case, integer
 * ids, ISO-8601 timestamps). The document (000_dc84e41bc020d3b8.txt) collapsed every response body,
 * so the fields are those of the matching request bodies plus `id`, `created_at` and `updated_at`;
 * docs/vendors/isolocity.md lists each addition.
 */

export const UNIT_TYPES = ['Volume', 'Mass', 'Length'] as const;
export const UNITS_OF_MEASURE = ['gal', 'cup', 'tsp', 'l', 'ml', 'g', 'kg', 'lb', 't', 'oz', 'st', 'm', 'ft', 'in', 'yd', 'cm', 'mm', 'units'] as const;
export const DENSITY_MASS_UNITS = ['g', 'kg', 'lb', 't', 'oz', 'st'] as const;
export const DENSITY_VOLUME_UNITS = ['gal', 'cup', 'tsp', 'l', 'ml'] as const;
/** NCR sources as the sandbox stores and returns them ("Update an existing NCR record" spelling). */
export const NCR_SOURCES = ['Internal', 'Customer', 'Supplier'] as const;
export const NCR_STATUSES = ['Open', 'Closed'] as const;

export type UnitType = (typeof UNIT_TYPES)[number];
export type UnitOfMeasure = (typeof UNITS_OF_MEASURE)[number];
export type DensityMassUnit = (typeof DENSITY_MASS_UNITS)[number];
export type DensityVolumeUnit = (typeof DENSITY_VOLUME_UNITS)[number];
export type NcrSource = (typeof NCR_SOURCES)[number];
export type NcrStatus = (typeof NCR_STATUSES)[number];

interface Timestamps {
  created_at: string;
  updated_at: string;
}

export interface Company extends Timestamps {
  id: number;
  name: string;
}

/** Suppliers and customers share the contact fields of their request bodies. */
export interface ContactFields {
  name: string;
  primary_name: string | null;
  primary_email: string | null;
  primary_phone: string | null;
  primary_position: string | null;
  secondary_name: string | null;
  secondary_email: string | null;
  secondary_phone: string | null;
  secondary_position: string | null;
}

export interface Supplier extends ContactFields, Timestamps {
  id: number;
  notes: string | null;
}

export interface Customer extends ContactFields, Timestamps {
  id: number;
  street: string | null;
  city: string | null;
  province: string | null;
  country: string | null;
  postal_code: string | null;
  custom_field_1: string | null;
  custom_field_2: string | null;
}

export interface Location extends Timestamps {
  id: number;
  name: string;
  /** 1 or 0, as the "Create a new location" body sends it. */
  is_active: number;
}

export interface Part extends Timestamps {
  id: number;
  name: string;
  /** The vendor's SKU code: what opsgraph joins on. */
  identification: string;
  company_id: number | null;
  is_activity: boolean;
  is_finished_product: boolean;
  /** The part's lot (batch) numbers. */
  batch_ids: string[];
  supplier_id: number | null;
  parent_part_id: number | null;
  unit_type: UnitType | null;
  unit_of_measure: UnitOfMeasure | null;
  density: number | null;
  density_mass_unit: DensityMassUnit | null;
  density_volume_unit: DensityVolumeUnit | null;
}

/** An inspection template ("drawing" in the inspection and order item bodies). */
export interface Specification extends Timestamps {
  id: number;
  name: string;
  identification: string;
}

export interface SampleResult {
  characteristic_id: number;
  value: string | number | null;
  passed: boolean | null;
}

export interface InspectionSample extends Timestamps {
  id: number;
  inspection_id: number;
  sample_number: number;
  sample_serial: string | null;
  results: SampleResult[];
}

export interface Inspection extends Timestamps {
  id: number;
  entity_id: number;
  entity_type: 'part';
  drawing_id: number | null;
  sample_size: number;
  is_create_batch_records: boolean;
  /** null = not started; true/false = finished. */
  passed: boolean | null;
  /** The lot the inspection sampled (a sandbox decision: see the docs file). */
  lot_number: string | null;
  samples: InspectionSample[];
}

export interface Ncr extends Timestamps {
  id: number;
  ncr_number: string;
  source: NcrSource;
  status: NcrStatus;
  lot_number: string | null;
  quantity: number | null;
  description: string | null;
  immediate_action: string | null;
  is_root_cause_determined: boolean;
  has_incomplete_action_items: boolean;
  has_unread_notes: boolean;
  part_id: number | null;
}

export interface InventoryLocation {
  location_id: number;
  quantity: number;
}

/** Stock of one part's lot, split over the locations it is linked to. */
export interface Inventory extends Timestamps {
  id: number;
  part_id: number;
  lot_number: string;
  locations: InventoryLocation[];
}

export interface OrderItem extends Timestamps {
  id: number;
  order_id: number;
  part_id: number;
  quantity: number;
  /** The lot shipped on this line ("serial_number: Lot" in the document). */
  serial_number: string;
  drawing_id: number | null;
  is_low_inventory: boolean;
  is_low_materials: boolean;
  /** Display position of the line in the order. */
  order: number;
}

export interface Order extends Timestamps {
  id: number;
  order_number: number;
  po_number: string | null;
  contact_id: number | null;
  /** yyyy-mm-dd */
  order_date: string | null;
  serial_number: string | null;
  is_closed: boolean;
  items: OrderItem[];
}

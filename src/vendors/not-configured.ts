import type { GraphQLError } from 'graphql';
import { opsError } from '../errors.js';
import type { Vendor } from '../model/records.js';

/**
 * What a user sets to configure each vendor (src/config.ts). PHARUS_ORG_ID is needed unless
 * PHARUS_TOKEN is an org-bound personal access token (`pharus_pat_…`).
 */
export const VENDOR_SETTINGS: Readonly<Record<Vendor, readonly string[]>> = {
  ISOLOCITY: ['ISOLOCITY_BASE_URL', 'ISOLOCITY_TOKEN'],
  PHARUS: ['PHARUS_BASE_URL', 'PHARUS_TOKEN', 'PHARUS_ORG_ID'],
  DISTRU: ['DISTRU_BASE_URL', 'DISTRU_TOKEN'],
  HAPIHUB: ['HAPIHUB_BASE_URL', 'HAPIHUB_TOKEN'],
};

/** How a list that skipped an unconfigured vendor says so in `extensions.skippedVendors`. */
export interface SkippedVendor {
  vendor: Lowercase<Vendor>;
  code: 'VENDOR_NOT_CONFIGURED';
  settings: readonly string[];
}

export function skippedVendor(vendor: Vendor): SkippedVendor {
  return { vendor: vendor.toLowerCase() as Lowercase<Vendor>, code: 'VENDOR_NOT_CONFIGURED', settings: VENDOR_SETTINGS[vendor] };
}

/** The error of anything that needs a vendor this gateway has no settings for. */
export function vendorNotConfigured(vendor: Vendor): GraphQLError {
  const settings = VENDOR_SETTINGS[vendor];
  const pat = vendor === 'PHARUS' ? ' (PHARUS_ORG_ID may be left out when PHARUS_TOKEN is a pharus_pat_… token)' : '';
  return opsError(`${vendor.toLowerCase()} is not configured in this gateway: set ${settings.join(', ')}${pat}`, {
    code: 'VENDOR_NOT_CONFIGURED',
    vendor: vendor.toLowerCase() as Lowercase<Vendor>,
    settings,
  });
}

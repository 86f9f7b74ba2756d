import { vendorError, type VendorName } from '../errors.js';
import type { CallScope } from '../http/types.js';
import { SharedReloadTrace } from '../http/trace.js';
import type { Caller } from './single-flight.js';

/** Default budget of a shared reload (an index or catalogue read that other requests will reuse). */
export const SHARED_RELOAD_DEADLINE_MS = 120_000;

/**
 * How one GraphQL request waits for shared work (see SingleFlight): it leaves when it is cancelled
 * or its deadline passes, with the same errors a vendor call of its own would have given.
 */
export function waitingCaller(call: CallScope, vendor: VendorName, what: string): Caller {
  return {
    ...(call.signal ? { signal: cancelledAs(call.signal, vendor, what) } : {}),
    ...(call.deadline !== undefined ? { deadline: call.deadline } : {}),
    timeoutError: () => vendorError(vendor, 'VENDOR_TIMEOUT', `${what}: the request's deadline passed before the vendor answered (the shared read goes on for later requests)`),
  };
}

/** A signal that fires with a "cancelled" vendor error when `signal` fires. */
function cancelledAs(signal: AbortSignal, vendor: VendorName, what: string): AbortSignal {
  const controller = new AbortController();
  const cancel = (): void => controller.abort(vendorError(vendor, 'VENDOR_TIMEOUT', `${what}: cancelled before it was read`, { cancelled: true }));
  if (signal.aborted) cancel();
  else signal.addEventListener('abort', cancel, { once: true });
  return controller.signal;
}

/** The call scope of shared work: the starter's trace and queue place, the work's own signal and deadline. */
export function sharedCall(call: CallScope, work: { signal: AbortSignal; deadline: number }): CallScope {
  return { ...call, request: call.request ?? call, signal: work.signal, deadline: work.deadline };
}

/**
 * The call scope of a whole-list snapshot reload (an index, the HAPIHub fold): shared work whose
 * calls are admitted on a budget of their own and reported in the starter's trace (SharedReloadTrace).
 */
export function sharedReloadCall(call: CallScope, work: { signal: AbortSignal; deadline: number }): CallScope {
  return { ...sharedCall(call, work), trace: new SharedReloadTrace(call.trace) };
}

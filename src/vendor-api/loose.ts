import { z } from 'zod';

/**
 * Lenient scalars for vendor responses (seed README: "parse leniently … but strictly where opsgraph
 * depends on a value"): the generated API only passes values through, so a number sent as a numeric
 * string (Distru decimals), an id sent as a number, or a Laravel 0/1 boolean is accepted; the
 * GraphQL scalar then serialises it. Created once at module level (STYLE.md lesson 14).
 */
export const LOOSE_STRING = z.union([z.string(), z.number(), z.boolean()]);
export const LOOSE_NUMBER = z.union([z.number(), z.string().regex(/^-?\d+(\.\d+)?([eE][-+]?\d+)?$/)]);
export const LOOSE_BOOLEAN = z.union([z.boolean(), z.number()]);

import { EnvelopArmor } from '@escape.tech/graphql-armor';
import type { GraphQLArmorRejectCallback } from '@escape.tech/graphql-armor-types';
import type { ValidationRule } from 'graphql';
import { createGraphQLError } from 'graphql-yoga';
import type { Plugin } from 'graphql-yoga';
import type { Exposure, Limits } from '../../config.js';
import { limitError, type LimitCode } from './limit-error.js';
import { assertNesting } from './nesting.js';

/**
 * Query limits, checked before anything executes, with graphql-armor:
 * - before parsing: nesting of brackets (`MAX_PARSER_DEPTH`; the parser recurses, so a list nested
 *   10,000 deep must be refused before it) and tokens (`MAX_TOKENS`; armor's counting parser too);
 * - validate: depth, aliases, directives and cost (`MAX_DEPTH`, `MAX_ALIASES`, `MAX_DIRECTIVES`,
 *   `MAX_COST`). Armor's cost reflects vendor work: a field with a selection (a relation, which may
 *   call a vendor) costs `objectCost`, a scalar `scalarCost`, and a list multiplies its cost by its
 *   literal `first` (a variable `first` is bounded by the page size, 500, when it runs).
 * Each refusal is a 400 whose `extensions.code` names the limit and `extensions.setting` the
 * variable that changes it. With `NODE_ENV=production` introspection and field suggestions are off
 * unless INTROSPECTION=1.
 */
export const OBJECT_COST = 5;
export const SCALAR_COST = 1;
const DEPTH_COST_FACTOR = 1.5;

export function useQueryLimits(limits: Limits, exposure: Exposure): Plugin[] {
  // Armor throws "Syntax Error: …" with no code; we throw ours in its place (its callbacks run first).
  const reject =
    (code: LimitCode, setting: string, limit: number): GraphQLArmorRejectCallback =>
    (_ctx, error) => {
      throw limitError(code, error.message.replace(/^Syntax Error: /, ''), setting, limit);
    };
  const armor = new EnvelopArmor({
    maxTokens: { n: limits.maxTokens, onReject: [reject('MAX_TOKENS_EXCEEDED', 'MAX_TOKENS', limits.maxTokens)] },
    maxDepth: { n: limits.maxDepth, flattenFragments: true, onReject: [reject('MAX_DEPTH_EXCEEDED', 'MAX_DEPTH', limits.maxDepth)] },
    maxAliases: { n: limits.maxAliases, onReject: [reject('MAX_ALIASES_EXCEEDED', 'MAX_ALIASES', limits.maxAliases)] },
    maxDirectives: { n: limits.maxDirectives, onReject: [reject('MAX_DIRECTIVES_EXCEEDED', 'MAX_DIRECTIVES', limits.maxDirectives)] },
    costLimit: {
      maxCost: limits.maxCost,
      objectCost: OBJECT_COST,
      scalarCost: SCALAR_COST,
      depthCostFactor: DEPTH_COST_FACTOR,
      flattenFragments: true,
      onReject: [reject('MAX_COST_EXCEEDED', 'MAX_COST', limits.maxCost)],
    },
    blockFieldSuggestion: { enabled: !exposure.fieldSuggestions },
  });
  const nesting: Plugin = {
    // Before parsing (onParams), so the refusal is a request error: HTTP 400, like a bad body.
    onParams({ params }) {
      if (typeof params.query === 'string') assertNesting(params.query, limits.maxParserDepth, limits.maxTokens);
    },
  };
  const introspection: Plugin = {
    onValidate({ addValidationRule }) {
      if (!exposure.introspection) addValidationRule(noIntrospection);
    },
  };
  return [...(armor.protect().plugins as Plugin[]), nesting, introspection];
}

/**
 * Refuses `__schema` and `__type` (graphql-js's NoSchemaIntrospectionCustomRule, by field name:
 * that rule checks types with `instanceof`, which fails across graphql-js's CJS and ESM copies).
 * `__typename` stays: clients need it for unions and caches.
 */
const noIntrospection: ValidationRule = (context) => ({
  Field(node) {
    if (node.name.value === '__schema' || node.name.value === '__type') {
      context.reportError(createGraphQLError(`GraphQL introspection is off here (INTROSPECTION=1 turns it on); "${node.name.value}" is not allowed.`, { nodes: node, extensions: { code: 'INTROSPECTION_DISABLED' } }));
    }
  },
});

import { EnvelopArmor } from '@escape.tech/graphql-armor';
import type { GraphQLArmorRejectCallback } from '@escape.tech/graphql-armor-types';
import { NoSchemaIntrospectionCustomRule } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Exposure, Limits } from '../../config.js';
import { limitError, type LimitCode } from './limit-error.js';
import { assertNesting } from './nesting.js';

/**
 * Query limits, checked before anything executes, with graphql-armor:
 * - parse: nesting of brackets (our pre-scan: the parser recurses, so a list nested 10,000 deep
 *   must be refused before it) and tokens (`MAX_TOKENS`, armor's counting lexer);
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
    // Runs after armor's token-limited parser is set, and wraps it.
    onParse({ parseFn, setParseFn }) {
      setParseFn((source, options) => {
        assertNesting(typeof source === 'string' ? source : source.body, limits.maxParserDepth, limits.maxTokens);
        return parseFn(source, options);
      });
    },
  };
  const introspection: Plugin = {
    onValidate({ addValidationRule }) {
      if (!exposure.introspection) addValidationRule(NoSchemaIntrospectionCustomRule);
    },
  };
  return [...(armor.protect().plugins as Plugin[]), nesting, introspection];
}

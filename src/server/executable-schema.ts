import { makeExecutableSchema, type IExecutableSchemaDefinition } from '@graphql-tools/schema';
import type { GraphQLSchema } from 'graphql';
import { loadSchemaSdl } from './schema-files.js';

const built = new WeakMap<object, GraphQLSchema>();

/**
 * The gateway's executable schema, built once per process for a set of resolvers. It depends only
 * on the SDL files and the resolvers, both fixed when the process starts, and a GraphQLSchema is
 * immutable, so every gateway in the process (tests and benchmarks start many) shares it: building
 * it from the ~260 KB of SDL (the vendor APIs included) costs seconds of CPU on a busy 2-core machine.
 */
export function gatewaySchema<TContext>(resolvers: NonNullable<IExecutableSchemaDefinition<TContext>['resolvers']>): GraphQLSchema {
  let schema = built.get(resolvers);
  if (!schema) built.set(resolvers, (schema = makeExecutableSchema<TContext>({ typeDefs: loadSchemaSdl(), resolvers })));
  return schema;
}

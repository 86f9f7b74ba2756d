import { generateKeyPairSync } from 'node:crypto';
import { createInlineSigningKeyProvider, createRemoteJwksSigningKeyProvider, useJWT, type JWTExtendContextFields } from '@graphql-yoga/plugin-jwt';
import { Kind, OperationTypeNode, type DocumentNode, type OperationDefinitionNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { AuthSettings, JwtSettings } from '../../config.js';
import { isGraphQLError } from '../../errors.js';
import { ApiKeyRing, SCOPE } from './api-keys.js';
import { unauthenticated, forbidden } from './errors.js';
import { canRead, canWriteAny, OPEN_CLIENT, type ClientIdentity } from './identity.js';

/** Per-request identity, keyed by the Fetch Request (as Yoga's own plugins keep per-request state). */
const identities = new WeakMap<Request, ClientIdentity>();

/** The client of a request (OPEN_CLIENT when authentication is off). */
export function clientOf(request: Request): ClientIdentity {
  return identities.get(request) ?? OPEN_CLIENT;
}

/** The client a credential identified, or undefined (AUTH=none, or not authenticated yet or at all). */
export function authenticatedClientOf(request: Request): ClientIdentity | undefined {
  return identities.get(request);
}

/** Three base64url segments: worth handing to the JWT verifier (API keys have no dots). */
const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
const LABEL_UNSAFE = /[^A-Za-z0-9._-]/g;

const HOW = 'send an API key (Authorization: Bearer <key> or X-Api-Key: <key>) or a JWT (Authorization: Bearer <jwt>)';

/** Client authentication: the Yoga plugin, and the same check for what is served outside GraphQL (/metrics). */
export interface ClientAuth {
  plugin: Plugin;
  /**
   * The client a request's credential names, checked exactly as the plugin checks it (API key,
   * then JWT through Yoga's JWT plugin); rejects with an UNAUTHENTICATED GraphQLError. Usable once
   * the plugin has been given to a Yoga server (the JWT plugin takes Yoga's logger at init).
   * With AUTH=none every request is the open client.
   */
  authenticate(request: Request): Promise<ClientIdentity>;
}

/**
 * Client authentication (`AUTH`, `OPSGRAPH_API_KEYS_FILE`, `JWT_*`): every GraphQL request must
 * carry an API key or a JWT, checked before anything is parsed; JWTs are verified by Yoga's JWT
 * plugin (signature, expiry, issuer, audience). Then the operation must be allowed by the scopes:
 * a query needs `read`, a mutation some write scope (which vendor each mutation field may write to
 * is checked by the resolver guard, resolvers/guard-writes.ts).
 */
export function clientAuth(settings: AuthSettings): ClientAuth {
  if (settings.mode === 'none') {
    return {
      plugin: { onExecute: ({ args }) => checkOperation(OPEN_CLIENT, args.document, args.operationName) },
      authenticate: () => Promise.resolve(OPEN_CLIENT),
    };
  }
  const ring = new ApiKeyRing(settings.apiKeys);
  const jwt = settings.jwt ? jwtPlugin(settings.jwt) : null;

  const identify = async (payload: { request: Request; url: URL; serverContext: Record<string, unknown> }): Promise<ClientIdentity> => {
    const { request } = payload;
    const apiKey = request.headers.get('x-api-key');
    const authorization = request.headers.get('authorization');
    const bearer = authorization === null ? null : /^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1];
    if (apiKey !== null) {
      const entry = ring.find(apiKey.trim());
      if (!entry) throw unauthenticated('unknown API key');
      return { name: entry.name, scopes: new Set(entry.scopes), via: 'api-key' };
    }
    if (authorization === null) throw unauthenticated(`no credential: ${HOW}`);
    if (!bearer) throw unauthenticated('the Authorization header must be "Bearer <key or token>"');
    const entry = ring.find(bearer);
    if (entry) return { name: entry.name, scopes: new Set(entry.scopes), via: 'api-key' };
    if (!jwt || !JWT_SHAPE.test(bearer)) throw unauthenticated('unknown API key');
    try {
      await jwt.onRequestParse?.(payload as never);
    } catch (error) {
      // The plugin's own errors say "Unauthenticated"; anything else (JWKS unreachable) is ours.
      if (isGraphQLError(error)) throw unauthenticated('invalid token: bad signature, expired, or not for this issuer and audience');
      throw error;
    }
    const verified = (payload.serverContext as { jwt?: JWTExtendContextFields }).jwt;
    if (!verified) throw unauthenticated('invalid token');
    return identityOfClaims(verified.payload as Record<string, unknown>);
  };

  return {
    plugin: {
      onYogaInit(payload) {
        jwt?.onYogaInit?.(payload);
      },
      async onRequestParse({ request, url, serverContext }) {
        identities.set(request, await identify({ request, url, serverContext: serverContext as Record<string, unknown> }));
      },
      onExecute({ args }) {
        const request = (args.contextValue as { request?: Request }).request;
        checkOperation(request ? clientOf(request) : OPEN_CLIENT, args.document, args.operationName);
      },
    },
    authenticate: (request) => identify({ request, url: new URL(request.url), serverContext: {} }),
  };
}

function jwtPlugin(settings: JwtSettings) {
  const provider = settings.secret !== null ? createInlineSigningKeyProvider(settings.secret) : jwksProvider(settings.jwksUrl ?? '');
  return useJWT({
    signingKeyProviders: [provider],
    tokenVerification: { algorithms: settings.secret !== null ? ['HS256'] : ['RS256', 'ES256'], issuer: settings.issuer, audience: settings.audience },
    reject: { missingToken: true, invalidToken: true },
    extendContext: 'jwt',
  });
}

/** The client of a verified JWT: named by `client_id`, `azp` or `sub`; scopes from `scope` (RFC 8693 §4.2) or `scp`. */
function identityOfClaims(claims: Record<string, unknown>): ClientIdentity {
  const rawName = [claims.client_id, claims.azp, claims.sub].find((v): v is string => typeof v === 'string' && v !== '') ?? 'jwt';
  const name = rawName.replace(LABEL_UNSAFE, '_').slice(0, 64);
  const listed = typeof claims.scope === 'string' ? claims.scope.split(' ') : Array.isArray(claims.scp) ? claims.scp.filter((s): s is string => typeof s === 'string') : [];
  return { name, scopes: new Set(listed.filter((s) => SCOPE.test(s))), via: 'jwt' };
}

/** Refuses the whole operation when the client may not run its kind at all (nothing resolves). */
function checkOperation(client: ClientIdentity, document: DocumentNode, operationName: string | null | undefined): void {
  const operation = findOperation(document, operationName);
  if (!operation) return; // graphql-js reports the missing operation itself
  if (operation.operation === OperationTypeNode.MUTATION) {
    if (!canWriteAny(client)) throw forbidden(`client "${client.name}" may not write: a mutation needs the scope "write" or "write:<vendor>"`, 'write', 403);
  } else if (!canRead(client)) {
    throw forbidden(`client "${client.name}" may not read: a query needs the scope "read"`, 'read', 403);
  }
}

function findOperation(document: DocumentNode, name: string | null | undefined): OperationDefinitionNode | undefined {
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  return name ? operations.find((o) => o.name?.value === name) : operations.length === 1 ? operations[0] : undefined;
}

/**
 * Keys from a JWKS endpoint. A token whose key id the endpoint does not publish is the client's bad
 * token (401), not an outage: the Yoga plugin answers any provider failure with "Authentication is not
 * available" (a 500), so for jwks-rsa's SigningKeyNotFoundError the provider hands back a key that
 * verifies nothing, and the token fails verification like any forged one. An unreachable endpoint
 * still fails as unavailable.
 */
function jwksProvider(jwksUri: string) {
  const remote = createRemoteJwksSigningKeyProvider({ jwksUri, cache: true, rateLimit: true, timeout: 5_000 });
  let verifiesNothing: string | null = null;
  return async (kid?: string): Promise<string> => {
    try {
      return await remote(kid);
    } catch (error) {
      if (!(error instanceof Error) || error.name !== 'SigningKeyNotFoundError') throw error;
      verifiesNothing ??= generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
      return verifiesNothing;
    }
  };
}

import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import type { SandboxCredentials } from '../core/server.js';
import type { User } from './records.js';

/**
 * Distru's two kinds of token (seed 002, "Authentication"): a session JWT from logging in, valid
 * 30 days and good only for the session endpoints, and a long-term API token (one year) minted
 * from a session, good for `/public/v1`. The configured `credentials.token` is an API token too.
 */
export type TokenKind = 'session' | 'api';

const DAY_SECONDS = 86_400;

export class SessionBook {
  private readonly tokens = new Map<string, TokenKind>();
  /** Signs the JWTs; a new secret per sandbox, so tokens never outlive the process that minted them. */
  private readonly secret = randomBytes(32);

  constructor(
    readonly user: User,
    private readonly credentials: SandboxCredentials,
  ) {
    this.tokens.set(credentials.token, 'api');
  }

  /** True when the email (case-insensitive, as logins usually are) and the password match the sandbox user. */
  checkPassword(email: string, password: string): boolean {
    return email.toLowerCase() === (this.credentials.email ?? '').toLowerCase() && password === this.credentials.password;
  }

  openSession(): string {
    return this.mint('session', 30 * DAY_SECONDS, 'web');
  }

  mintApiToken(): string {
    return this.mint('api', 365 * DAY_SECONDS, 'api');
  }

  kindOf(token: string): TokenKind | null {
    return this.tokens.get(token) ?? null;
  }

  /** Ends the listed sessions; API tokens in the list are left alone. Returns how many ended. */
  deleteSessions(tokens: readonly string[]): number {
    let deleted = 0;
    for (const token of tokens) {
      if (this.tokens.get(token) === 'session') {
        this.tokens.delete(token);
        deleted++;
      }
    }
    return deleted;
  }

  /** A JWT with the claims Distru's tokens carry (decoded from the document's examples). */
  private mint(kind: TokenKind, lifetimeSeconds: number, platform: 'web' | 'api'): string {
    const now = Math.floor(Date.now() / 1000);
    const header = { alg: 'HS256', typ: 'JWT' };
    const claims = { aud: 'Distru', exp: now + lifetimeSeconds, iat: now, iss: 'Distru', jti: randomUUID(), mobile: false, nbf: now - 1, platform, sub: `User:${this.user.id}`, typ: 'access' };
    const unsigned = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
    const token = `${unsigned}.${createHmac('sha256', this.secret).update(unsigned).digest('base64url')}`;
    this.tokens.set(token, kind);
    return token;
  }
}

function base64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}

import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { StateStore, TokenRecord } from './sandbox-state.js';

/** The vendor's documented limit: an account can have up to 5 active API tokens. */
const MAX_ACTIVE_TOKENS = 5;

const DEMO_LABEL = 'demo';

function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export class TokenLimitError extends Error {
  override readonly name = 'TokenLimitError';
}

/** API tokens, stored only as hashes, as a vendor would store them. */
export class TokenRegistry {
  constructor(private readonly store: StateStore) {}

  list(): readonly Omit<TokenRecord, 'sha256'>[] {
    return this.store.state.tokens.map(({ id, label, createdAt }) => ({ id, label, createdAt }));
  }

  /** Creates a token; the plain token is returned once and never kept. */
  create(label: string, token: string = randomUUID()): { readonly id: string; readonly token: string } {
    if (this.store.state.tokens.length >= MAX_ACTIVE_TOKENS) {
      throw new TokenLimitError(`an account can have up to ${MAX_ACTIVE_TOKENS} active API tokens`);
    }
    const record: TokenRecord = {
      id: randomUUID(),
      label,
      sha256: hashToken(token),
      createdAt: new Date().toISOString(),
    };
    this.store.state.tokens.push(record);
    return { id: record.id, token };
  }

  revoke(id: string): boolean {
    const before = this.store.state.tokens.length;
    this.store.state.tokens = this.store.state.tokens.filter((t) => t.id !== id);
    return this.store.state.tokens.length !== before;
  }

  /**
   * Each start prints a fresh demo token (or the one asked for) and retires the previous
   * demo token; tokens created through the API survive restarts. When five API tokens are
   * active the oldest makes room, so the sandbox can always be used after a start.
   */
  issueDemoToken(token?: string): string {
    this.store.state.tokens = this.store.state.tokens.filter((t) => t.label !== DEMO_LABEL);
    if (this.store.state.tokens.length >= MAX_ACTIVE_TOKENS) this.store.state.tokens.shift();
    return this.create(DEMO_LABEL, token).token;
  }

  isValid(token: string | undefined): boolean {
    if (token === undefined || token === '') return false;
    const hash = Buffer.from(hashToken(token), 'hex');
    // Compare against every record in constant time so timing reveals nothing.
    let found = false;
    for (const record of this.store.state.tokens) {
      if (timingSafeEqual(hash, Buffer.from(record.sha256, 'hex'))) found = true;
    }
    return found;
  }
}

/** `Auth-Api-Token: <t>` (lexer style) or `Authorization: Bearer <t>` (form style). */
export function tokenFrom(
  headers: IncomingHttpHeaders,
  style: 'api-token' | 'bearer' | 'either',
): string | undefined {
  const apiToken = headers['auth-api-token'];
  const fromApiToken = typeof apiToken === 'string' ? apiToken.trim() : undefined;
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(headers.authorization ?? '')?.[1];
  switch (style) {
    case 'api-token':
      return fromApiToken;
    case 'bearer':
      return bearer;
    case 'either':
      return fromApiToken ?? bearer;
  }
}

import { expect } from 'vitest';

/** Fails when `seen` holds `secret`, or any start of it four characters or longer: what a cut leaves. */
export function expectNoPieceOf(secret: string, seen: string): void {
  for (let length = 4; length <= secret.length; length += 1)
    expect(seen).not.toContain(secret.slice(0, length));
}

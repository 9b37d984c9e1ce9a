import { DeliveryError } from '../../src/engine/delivery-error.js';
import type { SecretStore } from '../../src/engine/ports.js';

export class FakeSecrets implements SecretStore {
  readonly asked: string[] = [];

  constructor(private readonly tokens: Readonly<Record<string, string>>) {}

  token(target: string): Promise<string> {
    this.asked.push(target);
    const token = this.tokens[target];
    if (token === undefined) {
      return Promise.reject(new DeliveryError('no-token', `no token for target '${target}'`));
    }
    return Promise.resolve(token);
  }
}

import type { DeliveryPorts } from '../engine/deliver-file.js';
import type { Logger, SecretStore } from '../engine/ports.js';
import { gotHttp } from './got-http.js';
import { nodeFiles } from './node-files.js';
import { systemClock } from './system-clock.js';

/** The real ports for a delivery, for composition roots (`ferry upload`, the agent, the app). */
export function nodeDeliveryPorts(deps: {
  readonly logger: Logger;
  readonly secrets: SecretStore;
}): DeliveryPorts {
  return {
    clock: systemClock,
    files: nodeFiles,
    http: gotHttp(),
    secrets: deps.secrets,
    logger: deps.logger,
    random: Math.random,
  };
}

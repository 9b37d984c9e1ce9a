import { BandwidthLimiter } from '../engine/bandwidth-limiter.js';
import type { DeliveryPorts } from '../engine/deliver-file.js';
import type { Logger, MultipartCheckpoints, SecretStore } from '../engine/ports.js';
import { throttledFiles } from '../engine/throttled-files.js';
import type { ProxyConfig } from '../engine/config/proxy-schema.js';
import { scheduleApplies, type RateSchedule } from '../shared/rate-schedule.js';
import { nodeHttp } from './node-http.js';
import { nodeFiles } from './node-files.js';
import { proxySettings } from './proxy-settings.js';
import { systemClock } from './system-clock.js';

function capActive(schedule: RateSchedule | undefined): (now: number) => boolean {
  if (schedule === undefined) return () => true;
  return (now) => scheduleApplies(schedule, new Date(now));
}

/** The real ports for a delivery, for composition roots (`ferry upload`, the agent, the app). */
export function nodeDeliveryPorts(deps: {
  readonly logger: Logger;
  readonly secrets: SecretStore;
  readonly checkpoints?: MultipartCheckpoints;
  /** The config's proxy; the environment's HTTPS_PROXY / HTTP_PROXY / NO_PROXY apply without it. */
  readonly proxy?: ProxyConfig | undefined;
  /** Bytes per second for all uploads of these ports together; unlimited without it. */
  readonly limitRate?: number | undefined;
  /** When the cap applies (local time); always without it. */
  readonly limitRateSchedule?: RateSchedule | undefined;
}): DeliveryPorts {
  return {
    clock: systemClock,
    files:
      deps.limitRate === undefined
        ? nodeFiles
        : throttledFiles(
            nodeFiles,
            new BandwidthLimiter(systemClock, deps.limitRate, capActive(deps.limitRateSchedule)),
          ),
    http: nodeHttp({ proxy: proxySettings(process.env, deps.proxy) }),
    secrets: deps.secrets,
    logger: deps.logger,
    random: Math.random,
    ...(deps.checkpoints === undefined ? {} : { checkpoints: deps.checkpoints }),
  };
}

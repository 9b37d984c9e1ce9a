import type { DeliveryTarget } from '../deliver-file.js';
import type { AgentEvent } from './agent-ports.js';

/**
 * Turns what each target's gate learns into agent events: reachability, so the summary, the
 * tray and the terminal say "offline — waiting" while a vendor cannot be reached, and a
 * rejected token, told once per stop however many jobs hit it. One subscription per gate:
 * targets of the same name share one. Returns the unsubscribe.
 */
export function targetEvents(
  targets: ReadonlyMap<string, DeliveryTarget>,
  emit: (event: AgentEvent) => void,
): () => void {
  const seen = new Set<DeliveryTarget['gate']>();
  const unsubscribes: (() => void)[] = [];
  for (const [name, target] of targets) {
    if (seen.has(target.gate)) continue;
    seen.add(target.gate);
    unsubscribes.push(
      target.gate.reachability.onChange((offline) => {
        emit({ type: 'reachability', target: name, offline });
      }),
      target.gate.onStopChange((stoppedBy) => {
        emit({
          type: 'token',
          target: name,
          rejected: stoppedBy !== undefined,
          ...(stoppedBy === undefined ? {} : { reason: stoppedBy.message }),
        });
      }),
    );
  }
  return () => {
    for (const unsubscribe of unsubscribes) unsubscribe();
  };
}

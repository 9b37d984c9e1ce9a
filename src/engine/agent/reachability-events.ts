import type { DeliveryTarget } from '../deliver-file.js';
import type { AgentEvent } from './agent-ports.js';

/**
 * Turns each target's reachability into agent events, so the summary, the tray and the
 * terminal say "offline — waiting" while a vendor cannot be reached. One subscription per
 * gate: targets of the same name share one. Returns the unsubscribe.
 */
export function reachabilityEvents(
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
    );
  }
  return () => {
    for (const unsubscribe of unsubscribes) unsubscribe();
  };
}

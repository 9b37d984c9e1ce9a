import { describe, expect, it } from 'vitest';
import { DeliveryError } from '../../src/engine/delivery-error.js';
import { TargetGate } from '../../src/engine/target-gate.js';

describe('TargetGate', () => {
  it('reports the first stop only, and keeps its error', () => {
    const gate = new TargetGate();
    const first = new DeliveryError('token-rejected', 'token rejected');
    expect(gate.stop(first)).toBe(true);
    expect(gate.stop(new DeliveryError('token-rejected', 'again'))).toBe(false);
    expect(gate.stoppedBy).toBe(first);
    gate.restart();
    expect(gate.stoppedBy).toBeUndefined();
  });

  it('holds every job until the latest slow-down deadline', () => {
    const gate = new TargetGate();
    expect(gate.waitMs(1_000)).toBe(0);
    gate.slowDown(5_000);
    gate.slowDown(3_000);
    expect(gate.openAt).toBe(5_000);
    expect(gate.waitMs(1_000)).toBe(4_000);
    expect(gate.waitMs(9_000)).toBe(0);
  });
});

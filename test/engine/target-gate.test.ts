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

  it('holds waiters until the token is replaced, and lets an aborted waiter go', async () => {
    const gate = new TargetGate();
    await gate.whenRestarted(new AbortController().signal);
    gate.stop(new DeliveryError('token-rejected', 'token rejected'));
    let resumed = false;
    const waiting = gate.whenRestarted(new AbortController().signal).then(() => {
      resumed = true;
    });
    const leaving = new AbortController();
    const left = gate.whenRestarted(leaving.signal);
    leaving.abort(new Error('paused'));
    await expect(left).rejects.toThrow('paused');
    await Promise.resolve();
    expect(resumed).toBe(false);
    gate.restart();
    await waiting;
    expect(resumed).toBe(true);
  });

  it('tells listeners of the first stop and of the restart, once each', () => {
    const gate = new TargetGate();
    const told: (string | undefined)[] = [];
    gate.onStopChange((stoppedBy) => told.push(stoppedBy?.message));
    gate.restart();
    gate.stop(new DeliveryError('token-rejected', 'token rejected'));
    gate.stop(new DeliveryError('token-rejected', 'again'));
    gate.restart();
    expect(told).toEqual(['token rejected', undefined]);
  });
});

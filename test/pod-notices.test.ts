/** What a sync tells the wearer about a full flash: sync more often, or, on a low cell, replace it. */
import { describe, expect, it } from 'vitest';
import { podNotices, syncNotices } from '../host/src/pod-notices.js';
import { type PayloadOf, STATUS_CALIBRATED, STATUS_LOW_BATTERY, STATUS_STORAGE_FULL } from '../shared/protocol/messages.js';

function status(flags: number, ram_pending: number, battery_pct: number): PayloadOf<'status'> {
  return { battery_pct, flags: flags | STATUS_CALIBRATED, first_seq: 0, next_seq: 10, stored: 10, capacity: 10, ram_pending, mode: 0 };
}

describe('a full flash', () => {
  it('on a good cell: sync more often', () => {
    expect(podNotices(status(STATUS_STORAGE_FULL, 5, 80))).toEqual(["the pod's flash is full and 5 minute records wait in its memory: sync more often"]);
  });

  it('on a low cell (the pod then makes no room in its flash): replace the cell, not sync more often', () => {
    const low = podNotices(status(STATUS_STORAGE_FULL | STATUS_LOW_BATTERY, 5, 10));
    expect(low).toContain("the pod's flash is full and 5 minute records wait in its memory: replace its CR2032 (on a low cell the pod does not make room in its flash)");
    expect(low.join('\n')).not.toMatch(/sync more often/);
    // a sync that emptied a full pod on a low cell says the same
    const after = syncNotices(status(STATUS_STORAGE_FULL | STATUS_LOW_BATTERY, 47, 12), status(STATUS_LOW_BATTERY, 0, 12));
    expect(after).toContain("the pod's flash was full (47 minute records waited in its memory); this sync freed it: replace its CR2032 (on a low cell the pod does not make room in its flash)");
    expect(after.join('\n')).not.toMatch(/sync more often/);
  });
});

describe('a mount not learnt', () => {
  const fresh: PayloadOf<'status'> = { battery_pct: 90, flags: 0, first_seq: 0, next_seq: 0, stored: 0, capacity: 10, ram_pending: 0, mode: 0 };
  it('where the link is not known (the report, the web page): `retrostep calibrate`', () => {
    expect(podNotices(fresh)).toEqual(['the pod has not yet learnt how it sits on the shoe, so every stride counts as forward: stand still for a second, then walk forward ten steps (or run `retrostep calibrate`)']);
  });
  it("a sync's own advice, for its link, takes its place", () => {
    expect(syncNotices(fresh, fresh, 'walk it')).toEqual(['the pod has not yet learnt how it sits on the shoe, so every stride counts as forward: walk it']);
  });
});

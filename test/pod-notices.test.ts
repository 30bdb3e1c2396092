/** What a sync tells the wearer: a full flash (sync more often, or, on a low cell, replace it), a mount not learnt, a firmware to update. */
import { describe, expect, it } from 'vitest';
import { compareVersions, firmwareNotice, podNotices, syncNotices } from '../host/src/pod-notices.js';
import { FIRMWARE_VERSION } from '../shared/protocol/firmware-version.js';
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

describe('a pod on another firmware than this retrostep carries', () => {
  it('versions compare by their numbers, not as text; anything else compares as nothing', () => {
    expect(compareVersions('0.9.0', '0.10.0')).toBeLessThan(0);
    expect(compareVersions('1.0.0', '0.99.99')).toBeGreaterThan(0);
    expect(compareVersions('0.2.1', '0.2.0')).toBeGreaterThan(0);
    expect(compareVersions('0.2.0', '0.2.0')).toBe(0);
    for (const odd of ['1.0', '', 'v0.2.0', '0.2.0-beta', '0.2.0 ']) expect(compareVersions(odd, '0.2.0'), odd).toBeNull();
  });

  it('older: update it with `retrostep flash`; newer: update retrostep; the same, or a version not of that form: nothing', () => {
    expect(firmwareNotice('0.1.0')).toBe(`the pod runs firmware 0.1.0, older than the ${FIRMWARE_VERSION} this retrostep carries: update it with \`retrostep flash\` now, just after a sync (README, "Putting retrostep on a Puck.js")`);
    expect(firmwareNotice('99.0.0')).toBe(`the pod runs firmware 99.0.0, newer than the ${FIRMWARE_VERSION} this retrostep carries: update retrostep (its \`retrostep flash\` would put ${FIRMWARE_VERSION} back)`);
    expect(firmwareNotice(FIRMWARE_VERSION)).toBeNull();
    expect(firmwareNotice('9.0')).toBeNull();
  });
});

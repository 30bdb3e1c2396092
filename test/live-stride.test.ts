/** A live stride as `retrostep live` prints it and the `retrostep web` page lists it. */
import { describe, expect, it } from 'vitest';
import { formatStride } from '../host/src/commands/live.js';
import { liveCadenceText, type LiveStride } from '../host/src/live-stride.js';

const stride = (cadence_spm: number, wrong = false): LiveStride => ({ t_ms: 0, direction: 'forward', first: 'heel', pitch_deg: 15.8, wrong, cadence_spm });

describe('a live stride', () => {
  it('the first of a walk (the pod sends cadence 0: no stride before it) has no cadence yet, not "0 steps/min"', () => {
    expect(liveCadenceText(stride(0))).toBe('no cadence yet');
    expect(formatStride(stride(0))).toMatch(/ heel {3}15\.8 deg {2}no cadence yet$/);
  });

  it('later strides: their cadence, in the same column', () => {
    expect(liveCadenceText(stride(108))).toBe('108 steps/min');
    const first = formatStride(stride(0)), later = formatStride(stride(108, true));
    expect(later).toMatch(/ heel {3}15\.8 deg {3}108 steps\/min {2}WRONG$/);
    expect(later.indexOf('steps/min') + 'steps/min'.length).toBe(first.length);
  });
});

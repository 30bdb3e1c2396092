/** A live `contact` frame as a person reads it: what `live` prints and the `retrostep web` page lists. */
import { CONTACT_HEEL, CONTACT_TOE, DIRECTION_BACKWARD, DIRECTION_FORWARD } from '../../shared/protocol/messages.js';

export interface LiveStride {
  t_ms: number;
  direction: 'forward' | 'backward' | 'unknown';
  first: 'heel' | 'flat' | 'toe';
  pitch_deg: number;
  wrong: boolean;
  cadence_spm: number;
}

export function toStride(p: { t_ms: number; direction: number; first: number; pitch_cdeg: number; wrong: number; cadence_spm: number }): LiveStride {
  return {
    t_ms: p.t_ms,
    direction: p.direction === DIRECTION_FORWARD ? 'forward' : p.direction === DIRECTION_BACKWARD ? 'backward' : 'unknown',
    first: p.first === CONTACT_HEEL ? 'heel' : p.first === CONTACT_TOE ? 'toe' : 'flat',
    pitch_deg: p.pitch_cdeg / 100,
    wrong: p.wrong === 1,
    cadence_spm: p.cadence_spm,
  };
}


/** A stride's cadence as `live` and the page show it: the first stride of a walk has none yet (the pod sends 0: no stride before it to time). */
export function liveCadenceText(s: LiveStride): string {
  return s.cadence_spm > 0 ? `${s.cadence_spm} steps/min` : 'no cadence yet';
}

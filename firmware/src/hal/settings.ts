/**
 * Settings (config, calibration, boot count) that survive a reset. Written
 * alternately to two Storage files with a counter and a CRC: a reset in the
 * middle of a write leaves the other copy, so the pod never boots with a
 * half-written config.
 */
import { configDefaults, configKeys, type PodConfig } from '../../../shared/protocol/config.js';
import type { Calibration } from '../../../shared/gait/engine.js';

export interface Settings {
  config: PodConfig;
  cal: Calibration | null;
  boots: number;
}

/**
 * The property names written into the settings files as JSON (Saved, Settings and Calibration: the config's
 * own keys are read by their names as strings). The build keeps their spelling when it shortens the pod's
 * other property names (scripts/property-names.mjs): a file written by one build is read by the next.
 */
export const SAVED_NAMES = ['n', 's', 'config', 'cal', 'boots', 'up', 'toe'];

/** Settings files are SLOT_PREFIX + 0 and + 1. */
const SLOT_PREFIX = 'rscfg';

interface Saved {
  n: number;
  s: Settings;
}

function readSlot(name: string): Saved | null {
  const text = require('Storage').read(name);
  if (text === undefined) return null;
  const bar = text.indexOf('|');
  if (bar < 0) return null;
  const body = text.substring(bar + 1);
  if (parseInt(text.substring(0, bar), 10) !== E.CRC32(body)) return null;
  try {
    return JSON.parse(body) as Saved;
  } catch (e) {
    return null;
  }
}

export interface SettingsStore {
  load(): Settings;
  save(s: Settings): void;
}

export function createSettingsStore(): SettingsStore {
  let counter = 0;
  let slot = 0;
  return {
    load: function (): Settings {
      const a = readSlot(SLOT_PREFIX + 0);
      const b = readSlot(SLOT_PREFIX + 1);
      const best = a && (!b || a.n >= b.n) ? a : b;
      const out: Settings = { config: {} as PodConfig, cal: null, boots: 0 };
      const keys = configKeys();
      const defaults = configDefaults();
      for (let i = 0; i < keys.length; i++) {
        const k = keys[i];
        const v = best && best.s.config ? best.s.config[k] : undefined;
        out.config[k] = typeof v === 'number' ? v : defaults[k];
      }
      if (best) {
        out.cal = best.s.cal || null;
        out.boots = best.s.boots || 0;
        counter = best.n;
        slot = best === a ? 0 : 1;
      }
      return out;
    },
    save: function (s: Settings): void {
      counter++;
      slot = 1 - slot; // never overwrite the newest good copy
      const body = JSON.stringify({ n: counter, s: s });
      require('Storage').write(SLOT_PREFIX + slot, E.CRC32(body) + '|' + body);
    },
  };
}

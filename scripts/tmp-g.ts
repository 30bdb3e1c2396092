import fs from 'node:fs';
import { parseRecording } from '../host/src/replay/recording.js';
import { runEngine } from '../host/src/replay/run.js';
const f = 'walk-2x20m-left-52hz.csv';
const rec = parseRecording(fs.readFileSync('test/fixtures/gaitmap/' + f, 'utf8'), f);
const got = runEngine(rec.t_ms, rec.samples);
console.log(rec.contacts.map(c => c.t_ms.toFixed(0)).join(' '));
console.log(got.map(c => c.t_ms.toFixed(0) + (c.calibrated ? '' : '?') + '/' + c.stride_m.toFixed(2)).join(' '));

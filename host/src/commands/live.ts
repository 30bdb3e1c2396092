/** `retrostep live`: each stride as the pod sees it, and each buzz it plays, until Ctrl-C (or --seconds). */
import type { Command } from 'commander';
import type { Message } from '../../../shared/protocol/messages.js';
import { InputError } from '../errors.js';
import { type BuzzSettings, buzzHasLine, type LiveBuzz, toBuzz } from '../live-buzz.js';
import { liveCadenceText, type LiveStride, toStride } from '../live-stride.js';
import { lostPod } from '../pod-client.js';
import { untilStopped } from '../until-stopped.js';
import { standingSimNote, withPod } from './link-option.js';

export { type LiveStride, toStride };

const clockNow = () => new Date().toTimeString().slice(0, 8);

export function formatStride(s: LiveStride): string {
  return `${clockNow()}  ${s.direction.padEnd(8)} ${s.first.padEnd(4)} ${s.pitch_deg.toFixed(1).padStart(6)} deg  ${liveCadenceText(s).padStart(14)}${s.wrong ? '  WRONG' : ''}`;
}

/** A buzz, "buzz" in the strides' direction column. */
function formatBuzz(b: LiveBuzz): string {
  return `${clockNow()}  ${'buzz'.padEnd(8)} ${b.pattern}: ${b.meaning}`;
}

/** What `live` prints for a frame the pod sent on its own: a line, or null for none. */
export function liveLine(m: Message, settings: BuzzSettings, json: boolean): string | null {
  if (m.name === 'contact') {
    const s = toStride(m.payload);
    return json ? JSON.stringify(s) : formatStride(s);
  }
  if (m.name !== 'buzzed') return null;
  const b = toBuzz(m.payload.pattern, settings);
  if (json) return JSON.stringify(b);
  return buzzHasLine(b) ? formatBuzz(b) : null;
}

export function registerLive(program: Command): void {
  program
    .command('live')
    .description('show each stride as it happens (direction, first contact, foot angle, cadence, wrong-gait flag) and each buzz the pod plays (the coach\'s prompt and done, the daily goal, low battery)')
    .option('--seconds <n>', 'stop after this long (default: until Ctrl-C)')
    .option('--json', 'one JSON object per stride, and one per buzz ({"kind":"buzz",...}: the wrong-gait buzz too, just before its stride)')
    .action(async (o: { seconds?: string; json?: boolean }, cmd: Command) => {
      const seconds = o.seconds === undefined ? Infinity : Number(o.seconds);
      if (!(seconds > 0)) throw new InputError(`--seconds must be a positive number, not "${o.seconds}"`);
      await withPod(cmd, async (client, link) => {
        // the steps and minutes the buzzes' lines quote
        const settings = await client.request('config_get', {}, 'config');
        client.onUnsolicited((m: Message) => {
          const line = liveLine(m, settings, !!o.json);
          if (line !== null) console.log(line);
        });
        // (Ctrl-C caught before the pod is asked for strides: the first can come in the same read as its "ok", shown
        // before this code runs again, and a SIGTERM sent on seeing it killed the process, the pod left streaming;
        // the link closes on its own only when the pod went away: we close it after this)
        const wait = untilStopped(link.transport, seconds);
        try {
          await client.request('live_subscribe', { on: 1 }, 'ok');
        } catch (e) {
          wait.stop();
          throw e;
        }
        if (!o.json) console.error(`live strides and buzzes from the pod over ${link.description} (Ctrl-C to stop)`);
        const still = standingSimNote(cmd, 'live', 'no stride will come');
        if (still) console.error(still);
        const lost = await wait.ended;
        if (lost) throw lostPod(lost.error, 'the live view stopped; run it again once the pod is back in reach (or plugged in)');
        if (link.transport.isOpen) await client.request('live_subscribe', { on: 0 }, 'ok').catch(() => undefined);
      });
    });
}

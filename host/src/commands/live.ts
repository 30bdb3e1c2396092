/** `retrostep live`: each stride as the pod sees it, until Ctrl-C (or --seconds). */
import type { Command } from 'commander';
import type { Message } from '../../../shared/protocol/messages.js';
import { InputError } from '../errors.js';
import { liveCadenceText, type LiveStride, toStride } from '../live-stride.js';
import { lostPod } from '../pod-client.js';
import { untilStopped } from '../until-stopped.js';
import { standingSimNote, withPod } from './link-option.js';

export { type LiveStride, toStride };

export function formatStride(s: LiveStride): string {
  const time = new Date().toTimeString().slice(0, 8);
  return `${time}  ${s.direction.padEnd(8)} ${s.first.padEnd(4)} ${s.pitch_deg.toFixed(1).padStart(6)} deg  ${liveCadenceText(s).padStart(14)}${s.wrong ? '  WRONG' : ''}`;
}

export function registerLive(program: Command): void {
  program
    .command('live')
    .description('show each stride as it happens: direction, first contact, foot angle, cadence, wrong-gait flag')
    .option('--seconds <n>', 'stop after this long (default: until Ctrl-C)')
    .option('--json', 'one JSON object per stride')
    .action(async (o: { seconds?: string; json?: boolean }, cmd: Command) => {
      const seconds = o.seconds === undefined ? Infinity : Number(o.seconds);
      if (!(seconds > 0)) throw new InputError(`--seconds must be a positive number, not "${o.seconds}"`);
      await withPod(cmd, async (client, link) => {
        client.onUnsolicited((m: Message) => {
          if (m.name !== 'contact') return;
          const s = toStride(m.payload);
          console.log(o.json ? JSON.stringify(s) : formatStride(s));
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
        if (!o.json) console.error(`live strides from the pod over ${link.description} (Ctrl-C to stop)`);
        const still = standingSimNote(cmd, 'live', 'no stride will come');
        if (still) console.error(still);
        const lost = await wait.ended;
        if (lost) throw lostPod(lost.error, 'the live view stopped; run it again once the pod is back in reach (or plugged in)');
        if (link.transport.isOpen) await client.request('live_subscribe', { on: 0 }, 'ok').catch(() => undefined);
      });
    });
}

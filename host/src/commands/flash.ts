/** `retrostep flash`: upload the pod firmware (the built bundle, or --bundle FILE) through the console of a new Puck.js, or of a pod in update mode. */
import type { Command } from 'commander';
import { InputError, LinkError } from '../errors.js';
import { readBundleToFlash, storedBundlePath } from '../firmware-bundle.js';
import { ConsoleSilentError, uploadBundle } from '../flash.js';
import { linkError, openConsoleLink } from '../link.js';
import { progressBar } from '../progress-bar.js';
import { holdersText, portHolders } from '../transports/port-holders.js';
import { linkOptions } from './link-option.js';

export function registerFlash(program: Command): void {
  program
    .command('flash')
    .description('upload the pod firmware to a new Puck.js, or to a pod in update mode (hold its button 3 s while inserting the battery)')
    .option('--bundle <file>', 'firmware bundle to upload', storedBundlePath())
    .option('--sim-hold-button', 'with --sim: power the virtual pod up with its button held (update mode)')
    .action(async (o: { bundle: string; simHoldButton?: boolean }, cmd: Command) => {
      const options = linkOptions(cmd);
      // (a real pod's button is held by the person: without --sim the option would be quietly ignored)
      if (o.simHoldButton && !options.sim) throw new InputError('--sim-hold-button is for the virtual pod: give --sim too (a real pod: hold its button 3 s while inserting the battery)');
      const bundle = readBundleToFlash(o.bundle); // checked before the pod is reached
      const link = await openConsoleLink({ ...options, simHoldButton: o.simHoldButton });
      const bar = progressBar('uploading', 'chunks');
      try {
        const r = await uploadBundle(link.transport, bundle, (done, total) => bar.update(done, total));
        bar.stop();
        if (link.pod) link.pod.advance(500); // the virtual pod restarts into the new firmware
        console.log(`flashed ${r.bytes} bytes to the pod over ${link.description} (CRC-32 ${r.crc32.toString(16).padStart(8, '0')} checked on the pod); it restarted into the new firmware`);
      } catch (e) {
        // (a program that took no lock, screen or cat, reading the port takes the console's answers too: said, as sync
        // says it, rather than sending the user to put a pod in update mode that may well be in it)
        const holders = e instanceof ConsoleSilentError && options.port !== undefined ? portHolders(options.port) : [];
        if (holders.length) throw new LinkError(`the pod's console did not confirm ${(e as ConsoleSilentError).what} on ${link.description}, and another program has it open too (${holdersText(holders)}), which may be taking its answers: close it and try again`);
        throw linkError(e);
      } finally {
        bar.stop(); // (before an error's line: it was written on the bar's)
        await link.close().catch(() => undefined);
      }
    });
}

// Tests run the REAL firmware bundle and spawn the REAL built CLI: rebuild
// both first so a change in firmware/, shared/ or host/ is what runs
// (about 3 s for the bundle, 10 s for the host).
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';

export default function setup(): void {
  execFileSync(process.execPath, ['scripts/build-firmware.mjs'], { stdio: 'inherit' });
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-p', 'tsconfig.json'], { stdio: 'inherit' });
}

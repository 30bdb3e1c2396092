// Tests run the REAL firmware bundle: rebuild it first so a change in
// firmware/ or shared/ is what the virtual pod runs (about 3 s).
import { execFileSync } from 'node:child_process';

export default function setup(): void {
  execFileSync(process.execPath, ['scripts/build-firmware.mjs'], { stdio: 'inherit' });
}

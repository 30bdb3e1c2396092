/** The CLI's version: package.json's, read once at start-up. */
import fs from 'node:fs';
import path from 'node:path';
import { packageRoot } from './firmware-bundle.js';

export const VERSION: string = (JSON.parse(fs.readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;

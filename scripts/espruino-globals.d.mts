/** Types of scripts/espruino-globals.mjs. */
export const ESPRUINO_GLOBALS: string[];

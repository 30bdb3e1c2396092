/** Types of scripts/pretokenise.mjs (the build's pretokeniser, also used by tests). */
export function pretokenise(code: string, table: { FIRST_TOKEN_BYTE: number; RAW_STRING8: number; RAW_STRING16: number; ONE_VARIABLE_CHARS: number; tokenByte(text: string): number }): string;
export function tokensOf(code: string): string;

/** Types of scripts/property-names.mjs (the firmware build's kept property names, also used by tests). */
export function reservedPropertyNames(options: { codes: string[]; dts: string; es5: string; saved: string[]; globals: string[]; tokens: readonly string[]; rewritten?: string[] }): string[];

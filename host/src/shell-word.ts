/** A path as a shell reads it as one word, for a command a person copies from a message (quoted if it has a space or the like). */
export const shellWord = (file: string): string => (/^[\w@%+=:,./-]+$/.test(file) ? file : `'${file.replace(/'/g, `'\\''`)}'`);

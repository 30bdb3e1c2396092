export * from './bytes.js';
export * from './cobs.js';
export * from './codec.js';
export * from './crc32.js';
export * from './frame.js';
export * from './messages.js';
export * from './records.js';
export * from './uuids.js';

/**
 * The pod firmware this source builds: its `info` reply's fw_version, and what a sync compares a pod's against, so a
 * pod left on an older firmware after retrostep itself was updated is told to be flashed (firmware/src/link.ts sends
 * it; host/src/pod-notices.ts firmwareNotice says it).
 */
export const FIRMWARE_VERSION = '0.2.0';

/** Talking to an in-process virtual pod from host code. */

/**
 * The passkey every virtual pod is provisioned with, and the one the host pairs with: the development build's
 * (firmware/src/identity.ts PASSKEY, which a real unit replaces with its own at provisioning), so a virtual pod
 * pairs as a development pod does. Written again here, not imported: host code does not import firmware/.
 */
export const VIRTUAL_POD_PASSKEY = '123456';

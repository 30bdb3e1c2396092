/** Who this pod is on the air: its id (the MAC without colons), its advertised name, its pairing passkey. */

/** Passkey shown to the user for pairing (printed on the pod's card). A real unit gets its own at provisioning. */
export const PASSKEY = '123456';

export function podId(): string {
  return NRF.getAddress().substring(0, 17).split(':').join('');
}

/** retrostep-XXXX: the last two bytes of the MAC, as on the pod's label. */
export function podName(): string {
  return 'retrostep-' + podId().substring(8, 12);
}

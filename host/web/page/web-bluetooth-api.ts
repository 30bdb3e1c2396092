/**
 * The part of Web Bluetooth the page's transport uses, written out instead
 * of taken from the DOM library: the transport and the fake
 * navigator.bluetooth (host/web/sim/fake-web-bluetooth.ts) are checked
 * against this one surface, and both compile in Node, where the transport
 * contract suite runs them. The browser's own objects fit these shapes.
 */

export interface GattCharacteristicLike extends EventTarget {
  readonly uuid: string;
  /** the last value read or notified (set before `characteristicvaluechanged`) */
  readonly value?: DataView | null;
  startNotifications(): Promise<unknown>;
  writeValueWithResponse(value: Uint8Array<ArrayBuffer>): Promise<void>;
}

export interface GattServiceLike {
  getCharacteristic(uuid: string): Promise<GattCharacteristicLike>;
}

export interface GattServerLike {
  readonly connected: boolean;
  connect(): Promise<GattServerLike>;
  disconnect(): void;
  getPrimaryService(uuid: string): Promise<GattServiceLike>;
}

/** A device the person chose in the browser's chooser; fires `gattserverdisconnected`. */
export interface BluetoothDeviceLike extends EventTarget {
  readonly id: string;
  readonly name?: string;
  readonly gatt?: GattServerLike;
}

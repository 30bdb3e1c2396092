/**
 * The contract every Transport (memory, serial, ble) must pass. Each
 * implementation's test file calls runTransportContract with a factory that
 * builds the transport and a raw peer on the far side of a real link.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { type Transport, TransportError } from '../../host/src/transports/transport.js';
import { concat, waitFor } from '../helpers/wait.js';

/** The far end of the link, seen as raw bytes. */
interface ContractPeer {
  /** Every byte the peer has received since the link opened. */
  received(): Uint8Array;
  /** Send bytes to the transport under test. */
  send(bytes: Uint8Array): Promise<void> | void;
  /** Lose the link from the far side (out of range, cable pulled). */
  drop(): Promise<void> | void;
}

export interface ContractSetup {
  transport: Transport;
  peer: ContractPeer;
  teardown(): Promise<void>;
}

function pattern(n: number, seed: number): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = (i * 7 + seed) & 0xff;
  return b;
}

export function runTransportContract(name: string, setup: () => Promise<ContractSetup>): void {
  describe(`Transport contract: ${name}`, () => {
    let current: ContractSetup | null = null;
    const make = async () => (current = await setup());
    afterEach(async () => {
      if (current) await current.teardown();
      current = null;
    });

    it('rejects a write before open with a TransportError "closed"', async () => {
      const { transport } = await make();
      expect(transport.isOpen).toBe(false);
      await expect(transport.write(new Uint8Array([1]))).rejects.toMatchObject({ code: 'closed' });
    });

    it('delivers written bytes to the peer in order, 8-bit clean, split as the link needs', async () => {
      const { transport, peer } = await make();
      await transport.open();
      expect(transport.isOpen).toBe(true);
      const a = pattern(1000, 3);
      const b = pattern(17, 200);
      await transport.write(a);
      await transport.write(b);
      await waitFor(() => peer.received().length >= 1017, 'peer to receive 1017 bytes');
      expect(Array.from(peer.received())).toEqual(Array.from(concat([a, b])));
    });

    it('emits the peer\'s bytes as data events, in order', async () => {
      const { transport, peer } = await make();
      const got: Uint8Array[] = [];
      transport.on('data', (d) => got.push(new Uint8Array(d)));
      await transport.open();
      const parts = [pattern(5, 1), pattern(300, 2), pattern(1, 0), pattern(64, 9)];
      for (const p of parts) await peer.send(p);
      const want = concat(parts);
      await waitFor(() => concat(got).length >= want.length, 'all peer bytes');
      expect(Array.from(concat(got))).toEqual(Array.from(want));
    });

    it('close() emits close exactly once without an error, and later writes are refused', async () => {
      const { transport } = await make();
      const closes: (TransportError | undefined)[] = [];
      transport.on('close', (e) => closes.push(e));
      await transport.open();
      await transport.close();
      await transport.close();
      await waitFor(() => closes.length >= 1, 'close event');
      await new Promise((r) => setTimeout(r, 20));
      expect(closes).toEqual([undefined]);
      expect(transport.isOpen).toBe(false);
      await expect(transport.write(new Uint8Array([1]))).rejects.toBeInstanceOf(TransportError);
    });

    it('a link lost from the far side emits close once with TransportError "lost"', async () => {
      const { transport, peer } = await make();
      const closes: (TransportError | undefined)[] = [];
      transport.on('close', (e) => closes.push(e));
      await transport.open();
      await peer.drop();
      await waitFor(() => closes.length >= 1, 'close event after drop');
      await new Promise((r) => setTimeout(r, 20));
      expect(closes.length).toBe(1);
      expect(closes[0]).toBeInstanceOf(TransportError);
      expect(closes[0]?.code).toBe('lost');
      expect(transport.isOpen).toBe(false);
      await expect(transport.write(new Uint8Array([1]))).rejects.toMatchObject({ code: expect.stringMatching(/closed|lost/) });
    });

    it('can be opened again after close and still moves bytes both ways', async () => {
      const { transport, peer } = await make();
      await transport.open();
      await transport.close();
      const got: Uint8Array[] = [];
      transport.on('data', (d) => got.push(new Uint8Array(d)));
      await transport.open();
      await transport.write(new Uint8Array([0x41, 0x00, 0x42]));
      await waitFor(() => peer.received().length >= 3, 'bytes after reopen');
      const r = peer.received();
      expect(Array.from(r.subarray(r.length - 3))).toEqual([0x41, 0x00, 0x42]);
      await peer.send(new Uint8Array([7, 8, 9]));
      await waitFor(() => concat(got).length >= 3, 'peer bytes after reopen');
      expect(Array.from(concat(got))).toEqual([7, 8, 9]);
    });
  });
}

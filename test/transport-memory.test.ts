import { MemoryTransport } from '../host/src/transports/memory.js';
import { runTransportContract } from './contract/transport-contract.js';
import { concat } from './helpers/wait.js';

runTransportContract('memory', async () => {
  const transport = new MemoryTransport({ chunkBytes: 20 });
  let received: Uint8Array[] = [];
  transport.device.onReceive = (b) => received.push(b);
  transport.device.onConnect = () => (received = []);
  return {
    transport,
    peer: {
      received: () => concat(received),
      send: (b) => transport.device.send(b),
      drop: () => transport.device.drop(),
    },
    teardown: () => transport.close(),
  };
});

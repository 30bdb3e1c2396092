/**
 * Poll until cond() is true or timeout_ms passes (then throw with what was awaited). cond may ask over a link (a
 * promise): poll_ms apart then, so the asking does not load what it waits on.
 */
export async function waitFor(cond: () => boolean | Promise<boolean>, what: string, timeout_ms = 5000, poll_ms = 2): Promise<void> {
  const t0 = Date.now();
  while (!(await cond())) {
    if (Date.now() - t0 > timeout_ms) throw new Error(`timed out waiting for ${what} (${timeout_ms / 1000} s)`);
    await new Promise((r) => setTimeout(r, poll_ms));
  }
}

export function concat(chunks: Uint8Array[]): Uint8Array {
  const n = chunks.reduce((s, c) => s + c.length, 0);
  const out = new Uint8Array(n);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

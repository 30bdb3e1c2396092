/**
 * A virtual pod run faster than real time (`sim --speed 10`) refuses the host's clock. Its clock runs at its own
 * speed; a sync set it back to this computer's time each time, so the minutes it walked next were stamped over
 * minutes it had walked and synced already (a walk of 110 steps/min read 131 by the minute in the database), and
 * left alone they are dated ahead of this computer's clock, in the user's week and plan. Ten minutes walked in one
 * have no honest place on this computer's clock either way: the bridge refuses set_time, the one request that puts
 * the pod's minutes on that clock, and sync stops there, before it stores anything (docs/decisions.md, "A sped-up
 * virtual pod refuses sync"). Nor are they saved in the state file (serve.ts), for a sync at real time to store
 * later, dated ahead.
 */
import { cobsDecode } from '../../../shared/protocol/cobs.js';
import { encodeMessage } from '../../../shared/protocol/codec.js';
import { MAX_REQUEST_ENCODED_BYTES, parseFrame } from '../../../shared/protocol/frame.js';
import { ERR_BAD_VALUE, messageId } from '../../../shared/protocol/messages.js';

const SET_TIME = messageId('set_time');

/** What the sped-up pod answers a set_time with (sync prints it after "the pod refused: "). */
export function spedUpRefusal(speed: number): string {
  return `this virtual pod runs ${speed} times real time, so the minutes it walks have no place on this computer's clock (synced again and again they overlapped): sync it from \`retrostep sim\` without --speed; \`live\` and \`record\` work at any speed`;
}

/**
 * The host's bytes on their way to a sped-up pod: each frame passed on as it came, but a set_time request, answered
 * with a refusal (`reply`) and not passed on. Bytes are held only until their frame's delimiter, and only while
 * they could still be a request (MAX_REQUEST_ENCODED_BYTES); anything longer goes on unread, as it came.
 */
export function refuseSetTime(speed: number, forward: (bytes: Uint8Array) => void, reply: (bytes: Uint8Array) => void): (bytes: Uint8Array) => void {
  let held: number[] = [];
  let passing = false;
  return (bytes) => {
    let from = 0;
    for (let i = 0; i < bytes.length; i++) {
      if (bytes[i] !== 0) {
        if (!passing) {
          held.push(bytes[i]);
          if (held.length > MAX_REQUEST_ENCODED_BYTES) {
            forward(Uint8Array.from(held));
            held = [];
            passing = true;
            from = i + 1;
          }
        }
        continue;
      }
      // a frame ends here
      if (passing) {
        forward(bytes.subarray(from, i + 1));
        passing = false;
      } else {
        const raw = cobsDecode(Uint8Array.from(held));
        const frame = raw && parseFrame(raw);
        if (frame && typeof frame !== 'string' && frame.type === SET_TIME) reply(encodeMessage('error', frame.seq, { code: ERR_BAD_VALUE, text: spedUpRefusal(speed) }));
        else forward(Uint8Array.from([...held, 0]));
      }
      held = [];
      from = i + 1;
    }
    if (passing && from < bytes.length) forward(bytes.subarray(from));
  };
}

/**
 * What the `retrostep web` server takes from its page, as zod schemas: the
 * protocol's own forms (a status payload by its layout in the message table,
 * a minute record by its field widths) and nothing else. Extra keys,
 * fractions and out-of-range numbers are refused, so the database only ever
 * holds what a pod could have sent.
 */
import { z } from 'zod';
import { MESSAGES } from '../../../shared/protocol/messages.js';
import { RECORD_FOLDED } from '../../../shared/protocol/records.js';

const int = (max: number, min = 0) => z.number().int().min(min).max(max);
const U8 = 0xff;
const U16 = 0xffff;
const U32 = 0xffffffff;

/** A zod object for a payload layout of the message table ('battery_pct:B,flags:H,...'). */
function layoutSchema(layout: string) {
  const shape: Record<string, z.ZodType> = {};
  for (const field of layout.split(',')) {
    const [name, code] = field.split(':');
    shape[name] =
      code === 'B' ? int(U8) : code === 'H' ? int(U16) : code === 'I' ? int(U32) : code === 'h' ? int(0x7fff, -0x8000) : code === 'i' ? int(0x7fffffff, -0x80000000) : code === 's' ? z.string().max(255) : z.never();
  }
  return z.strictObject(shape);
}

/** Pod ids are the pod's MAC without colons (firmware/src/identity.ts). */
export const PodIdSchema = z.string().regex(/^[0-9a-f]{12}$/, 'a pod id is 12 lower-case hex digits');

/**
 * A minute record (shared/protocol/records.ts): u32 seq and time, u8 counts. A minute has at most 60 active
 * seconds, but a record the pod folded later minutes into while it was full (RECORD_FOLDED) has up to 255.
 */
const MinuteRecordSchema = z.strictObject({
  seq: int(U32),
  start_s: int(U32),
  flags: int(U8),
  forward: int(U8),
  backward: int(U8),
  heel: int(U8),
  flat: int(U8),
  toe: int(U8),
  wrong: int(U8),
  buzzes: int(U8),
  cadence_spm: int(U8),
  active_s: int(U8),
}).refine((r) => r.active_s <= 60 || (r.flags & RECORD_FOLDED) !== 0, { message: 'active_s over 60 in a record not folded (RECORD_FOLDED)', path: ['active_s'] });

/** Records per request: a few sync batches (16 each); more is not what the page sends. */
const MAX_RECORDS_PER_POST = 256;

/** A seq in a query string. */
const SeqParamSchema = z.string().regex(/^\d{1,10}$/).transform(Number).pipe(int(U32));
/** Stored records the page reads back (to compare with the pod's before it frees them): a few batches at most. */
export const RecordRangeSchema = z
  .strictObject({ from: SeqParamSchema, to: SeqParamSchema })
  .refine((r) => r.from <= r.to && r.to - r.from < MAX_RECORDS_PER_POST, `from <= to, fewer than ${MAX_RECORDS_PER_POST} apart`);

export const PodBodySchema = z.strictObject({ pod_id: PodIdSchema, name: z.string().max(32), fw_version: z.string().max(32) });
export const RecordsBodySchema = z.strictObject({ pod_id: PodIdSchema, records: z.array(MinuteRecordSchema).min(1).max(MAX_RECORDS_PER_POST) });
export const StatusBodySchema = z.strictObject({ pod_id: PodIdSchema, status: layoutSchema(MESSAGES.status[1]) });
export const ConfigBodySchema = z.strictObject({ pod_id: PodIdSchema, config: layoutSchema(MESSAGES.config[1]) });

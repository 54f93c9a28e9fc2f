import type { ScriptName } from './lua-scripts.js';
import type { Claim, EnqueueVerdict, FailVerdict } from './queue-types.js';

// What the Lua scripts answer, and its decoding. The codes a script answers with live in replyCodes, the
// one table both sides read: the Lua writes V.<name> (V.dead, never 2), lua-scripts.ts puts the value from
// this table in its place when it loads the script (withReplyCodes), and the decoders below compare with
// the same row. lua-scripts.test.ts checks every script uses exactly its row.
//
/**
 * Per-event verdicts come back as one string with one digit per event (a string, because ioredis-mock and
 * Redis convert it alike, and it is the smallest reply), so those codes are single digits.
 */
export const replyCodes = {
  /** {full, depth} when the ready backlog is at its maximum, else {ok, one digit per event}. */
  enqueue: { duplicate: 0, accepted: 1, full: -1, ok: 1 },
  claim: {},
  extend: { lost: 0, extended: 1 },
  /**
   * One digit per event, prefixed with noneApplied when a lost lease refused the whole batch, or stale and
   * the generation state when that changed; ":<seq>" after an archived applied ack.
   */
  ack: { lost: 0, held: 1, noneApplied: '-', stale: 'G' },
  fail: { lost: 0, retry: 1, dead: 2 },
  recover: {},
  replay: {},
  purge: {},
  generation: {},
  backfill: { refused: 0, applied: 1 },
} as const satisfies Record<ScriptName, Record<string, number | string>>;

const codes = replyCodes;

/**
 * The script `text` (of `file`) with each V.<name> replaced by the value of <name> in the script's row.
 * Constants rather than a `local V = {...}` table: ioredis-mock compiles a script on every call, and a
 * table costs it time on every call; Redis sees the same values either way.
 */
export function withReplyCodes(name: ScriptName, text: string, file: string): string {
  const row: Readonly<Record<string, number | string>> = replyCodes[name];
  return text.replace(/\bV\.([A-Za-z_]\w*)/g, (_match, code: string) => {
    const value = Object.hasOwn(row, code) ? row[code] : undefined;
    if (value === undefined)
      throw new Error(`Lua script ${file} uses V.${code}, which replyCodes.${name} does not define`);
    if (typeof value === 'string') return JSON.stringify(value);
    return value < 0 ? `(${value})` : String(value);
  });
}

export type EnqueueReply = { full: true; depth: number } | { full: false; verdicts: EnqueueVerdict[] };

/** The enqueue script's reply: refused as a whole (backlog full, with its depth), or a verdict per event. */
export function decodeEnqueue(reply: unknown): EnqueueReply {
  const [status, detail] = reply as [number, string];
  if (status === codes.enqueue.full) return { full: true, depth: Number(detail) };
  return {
    full: false,
    verdicts: digits(detail).map((code) => (code === codes.enqueue.accepted ? 'accepted' : 'duplicate')),
  };
}

/** The claim script's reply: the fencing token, then id, attempt and body per claimed event. */
export function decodeClaim(reply: unknown, partition: number): Claim[] {
  const values = reply as (string | number)[];
  if (values.length === 0) return [];
  const token = String(values[0]);
  const claims: Claim[] = [];
  for (let i = 1; i + 2 < values.length; i += 3) {
    claims.push({
      id: String(values[i]),
      partition,
      token,
      attempt: Number(values[i + 1]),
      body: String(values[i + 2]),
    });
  }
  return claims;
}

/** true where the lease was extended, false where it is no longer held. */
export function decodeExtend(reply: unknown): boolean[] {
  return digits(reply).map((code) => code === codes.extend.extended);
}

export type AckReply =
  | { applied: true; firstSeq?: number }
  | { applied: false; held: boolean[] }
  | { applied: false; generationState: string };

/**
 * Applied (with the first ack-order number when archived), refused as a whole because of lost leases (then
 * which leases are still held), or refused because the generation state changed (then the new state).
 */
export function decodeAck(reply: unknown): AckReply {
  const text = String(reply);
  if (text.startsWith(codes.ack.stale)) return { applied: false, generationState: text.slice(codes.ack.stale.length) };
  if (text.startsWith(codes.ack.noneApplied)) {
    return {
      applied: false,
      held: digits(text.slice(codes.ack.noneApplied.length)).map((code) => code === codes.ack.held),
    };
  }
  const colon = text.indexOf(':');
  return colon < 0 ? { applied: true } : { applied: true, firstSeq: Number(text.slice(colon + 1)) };
}

/** The generation script's reply: the partition's generation state after the step and its ack sequence. */
export function decodeGeneration(reply: unknown): { live: number; building: number | null; seq: number } {
  const [live, building, seq] = reply as [string | number, string | number, number];
  return { live: Number(live), building: String(building) === '' ? null : Number(building), seq: Number(seq) };
}

const failVerdicts: FailVerdict[] = byCode(codes.fail);

/** The fail script's reply: per event, retry later, dead-lettered, or lost (the lease was gone). */
export function decodeFail(reply: unknown): FailVerdict[] {
  return digits(reply).map((code) => failVerdicts[code] ?? 'lost');
}

/** The recover script's reply: how many expired leases went back to ready and how many to the dead letters. */
export function decodeRecover(reply: unknown): { requeued: number; deadLettered: number } {
  const [requeued, deadLettered] = reply as [number, number];
  return { requeued: Number(requeued), deadLettered: Number(deadLettered) };
}

function digits(reply: unknown): number[] {
  return Array.from(String(reply), Number);
}

// Names indexed by their code, for a row whose codes are all digits.
function byCode<Name extends string>(row: Record<Name, number>): Name[] {
  const names: Name[] = [];
  for (const [name, code] of Object.entries(row) as [Name, number][]) names[code] = name;
  return names;
}

// Both adapters encode a global position as two unsigned integers "major:minor" compared as a tuple
// (PostgreSQL: transaction id and sequence; KurrentDB: commit and prepare position).
import type { GlobalPosition } from './event-store.port';

export type PositionTuple = { major: bigint; minor: bigint };

/** Before every event: where a subscription without a checkpoint starts. */
export const START_POSITION: GlobalPosition = '0:0';

const SHAPE = /^(\d{1,20}):(\d{1,20})$/;

export function encodeGlobalPosition(major: bigint | string | number, minor: bigint | string | number): GlobalPosition {
  return `${BigInt(major)}:${BigInt(minor)}`;
}

export function decodeGlobalPosition(position: GlobalPosition): PositionTuple {
  const match = SHAPE.exec(position);
  if (!match) throw new TypeError(`not a global position of this event store: ${JSON.stringify(position)}`);
  return { major: BigInt(match[1]), minor: BigInt(match[2]) };
}

export function compareGlobalPositions(a: GlobalPosition, b: GlobalPosition): number {
  const x = decodeGlobalPosition(a);
  const y = decodeGlobalPosition(b);
  if (x.major !== y.major) return x.major < y.major ? -1 : 1;
  if (x.minor !== y.minor) return x.minor < y.minor ? -1 : 1;
  return 0;
}

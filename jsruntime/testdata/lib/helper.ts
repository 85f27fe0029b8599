export interface Parcel {
  weight: number;
}

export function check(p: Parcel): number {
  if (p.weight > 10) {
    throw new RangeError(`too heavy: ${p.weight}`);
  }
  return p.weight;
}

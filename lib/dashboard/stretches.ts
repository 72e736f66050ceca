/** Pure, shared by the read models and the pages: where simulated data sits on a time axis. */
export interface SimulatedStretch {
  from: number;
  /** Exclusive: the end of the last bucket holding simulated rows. */
  to: number;
  /** Simulated rows (candles, samples) in the stretch. */
  candles: number;
}

/** Runs of consecutive buckets holding simulated rows, for shading. */
export function simulatedStretches(t: readonly number[], simulated: readonly number[], widthMs: number): SimulatedStretch[] {
  const stretches: SimulatedStretch[] = [];
  let open: SimulatedStretch | undefined;
  t.forEach((time, i) => {
    if (!simulated[i]) {
      open = undefined;
      return;
    }
    if (open && time <= open.to) {
      open.to = time + widthMs;
      open.candles += simulated[i]!;
    } else {
      open = { from: time, to: time + widthMs, candles: simulated[i]! };
      stretches.push(open);
    }
  });
  return stretches;
}

'use client';

import { useCallback, useState } from 'react';

/** Every pane's y-axis has this width, so the plot areas (and the synced cursors) line up. */
export const Y_AXIS_WIDTH = 66;

/** Numeric epoch-ms domain covering the points and the last bucket, so gaps in the data stay gaps on the axis. */
export function timeDomain(t: readonly number[], widthMs: number): [number, number] {
  if (!t.length) return [0, 1];
  return [t[0]!, t[t.length - 1]! + widthMs];
}

/**
 * Pixel width of one bucket. Recharts sizes bars on a numeric axis from the closest pair of points,
 * which is wrong across gaps; we size them from the bucket width and the plot width instead.
 */
export function useSlotWidth(domain: [number, number], widthMs: number): [number, (width: number) => void] {
  const [plotWidth, setPlotWidth] = useState(0);
  const onResize = useCallback((width: number) => setPlotWidth(Math.max(0, width - Y_AXIS_WIDTH)), []);
  const span = domain[1] - domain[0];
  return [span > 0 && plotWidth > 0 ? Math.max(1, (plotWidth * widthMs) / span) : 1, onResize];
}

import { formatCompact, formatNumber, formatPrice } from '../ui/format';
import type { PaneSpec } from '../charts/indicator-pane';

/** The panels under the price chart, in the order a trader reads them: momentum, trend, volume, volatility. */
export const PANES: PaneSpec[] = [
  { id: 'rsi', title: 'RSI 14', lines: [{ key: 'rsi', name: 'RSI', color: 'var(--c3)' }], domain: [0, 100], levels: [30, 70], band: [30, 70] },
  {
    id: 'macd',
    title: 'MACD 12 26 9',
    lines: [
      { key: 'macd', name: 'MACD', color: 'var(--c1)' },
      { key: 'macd_signal', name: 'Signal', color: 'var(--c2)' },
    ],
    histogram: { key: 'macd_histogram', name: 'Hist' },
    levels: [0],
    format: (v) => formatNumber(v, 3),
  },
  {
    id: 'stoch',
    title: 'Stochastic 14 3 3',
    lines: [
      { key: 'stoch_k', name: '%K', color: 'var(--c1)' },
      { key: 'stoch_d', name: '%D', color: 'var(--c2)' },
    ],
    domain: [0, 100],
    levels: [20, 80],
    band: [20, 80],
  },
  { id: 'williams', title: 'Williams %R 14', lines: [{ key: 'williams_r', name: '%R', color: 'var(--c4)' }], domain: [-100, 0], levels: [-80, -20], band: [-80, -20] },
  { id: 'cci', title: 'CCI 20', lines: [{ key: 'cci', name: 'CCI', color: 'var(--c5)' }], levels: [-100, 0, 100], band: [-100, 100], format: (v) => formatNumber(v, 0) },
  {
    id: 'adx',
    title: 'ADX 14',
    lines: [
      { key: 'adx', name: 'ADX', color: 'var(--c6)' },
      { key: 'plus_di', name: '+DI', color: 'var(--up)' },
      { key: 'minus_di', name: '−DI', color: 'var(--down)' },
    ],
    levels: [25],
    format: (v) => formatNumber(v, 1),
  },
  { id: 'obv', title: 'OBV', lines: [{ key: 'obv', name: 'OBV', color: 'var(--c1)' }], format: (v) => formatCompact(v) },
  { id: 'mfi', title: 'MFI 14', lines: [{ key: 'mfi', name: 'MFI', color: 'var(--c4)' }], domain: [0, 100], levels: [20, 80], band: [20, 80] },
  { id: 'atr', title: 'ATR 14', lines: [{ key: 'atr', name: 'ATR', color: 'var(--c2)' }], format: (v) => formatPrice(v) },
];

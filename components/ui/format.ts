import { HOUR_MS } from '@/lib/market/time';
/** Number and time formatting for the pages. All times are UTC: candles and buckets are UTC. */
const grouped = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2, minimumFractionDigits: 2 });
const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 2 });
const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export function formatPrice(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  const abs = Math.abs(value);
  if (abs >= 1_000) return grouped.format(value);
  if (abs >= 1) return value.toFixed(abs >= 100 ? 2 : 3);
  return value.toPrecision(4);
}

/** Axis labels: no decimals once prices are in the thousands (the tooltip has them). */
export function formatAxisPrice(value: number): string {
  return Math.abs(value) >= 1_000 ? integer.format(value) : formatPrice(value);
}

export function formatNumber(value: number | null | undefined, digits = 2): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  const abs = Math.abs(value);
  if (abs >= 100_000) return compact.format(value);
  if (abs >= 1_000) return integer.format(value);
  return value.toFixed(digits);
}

export const formatCount = (value: number | null | undefined) => (value === null || value === undefined ? '—' : integer.format(value));
export const formatCompact = (value: number | null | undefined) => (value === null || value === undefined || !Number.isFinite(value) ? '—' : compact.format(value));

export function formatPercent(rate: number | null | undefined, digits = 1, signed = false): string {
  if (rate === null || rate === undefined || !Number.isFinite(rate)) return '—';
  const text = `${(rate * 100).toFixed(digits)}%`;
  return signed && rate > 0 ? `+${text}` : text;
}

/** "4 min", "3.5 h", "12 d", "2.1 y": a lag or an age. */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  const minutes = ms / 60_000;
  if (minutes < 1) return `${Math.round(ms / 1000)} s`;
  if (minutes < 90) return `${Math.round(minutes)} min`;
  const hours = minutes / 60;
  if (hours < 48) return `${hours.toFixed(hours < 10 ? 1 : 0)} h`;
  const days = hours / 24;
  if (days < 365) return `${Math.round(days)} d`;
  return `${(days / 365).toFixed(1)} y`;
}

const pad = (n: number) => String(n).padStart(2, '0');

export function formatDate(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

export function formatDateTime(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  const d = new Date(ms);
  return `${formatDate(ms)} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const HOUR = HOUR_MS;
const DAY = 24 * HOUR;
const TICK_STEPS = [HOUR, 2 * HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY, 2 * DAY, 7 * DAY, 14 * DAY, 30 * DAY, 91 * DAY, 182 * DAY, 365 * DAY];

/**
 * Tick positions on whole UTC hours, days, weeks (Mondays) or months, at most `count` of them, so
 * every pane and every range gets readable, non-repeating labels.
 */
export function timeTicks([from, to]: [number, number], count = 8): number[] {
  const step = TICK_STEPS.find((s) => (to - from) / s <= count) ?? TICK_STEPS[TICK_STEPS.length - 1]!;
  const ticks: number[] = [];
  if (step >= 30 * DAY) {
    const months = Math.round(step / (30 * DAY));
    const d = new Date(from);
    let year = d.getUTCFullYear();
    let month = Math.ceil((d.getUTCMonth() + (d.getUTCDate() > 1 || d.getUTCHours() > 0 ? 1 : 0)) / months) * months;
    for (;;) {
      const t = Date.UTC(year + Math.floor(month / 12), month % 12, 1);
      if (t > to) break;
      if (t >= from) ticks.push(t);
      month += months;
      if (month >= 12) {
        year += Math.floor(month / 12);
        month %= 12;
      }
    }
    return ticks;
  }
  // Weekly ticks fall on Mondays (the epoch was a Thursday).
  const origin = step === 7 * DAY || step === 14 * DAY ? 4 * DAY : 0;
  for (let t = Math.ceil((from - origin) / step) * step + origin; t <= to; t += step) ticks.push(t);
  return ticks;
}

/** Labels for ticks `step` apart: hours (with the date at midnight), days, or months. */
export function timeTickFormatter(spanMs: number, count = 8): (ms: number) => string {
  const step = TICK_STEPS.find((s) => spanMs / s <= count) ?? DAY;
  return (ms) => {
    const d = new Date(ms);
    if (step < DAY) return d.getUTCHours() === 0 ? `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}` : `${pad(d.getUTCHours())}:00`;
    if (step < 30 * DAY) return `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}`;
    return d.getUTCMonth() === 0 ? String(d.getUTCFullYear()) : `${MONTHS[d.getUTCMonth()]} ’${String(d.getUTCFullYear()).slice(2)}`;
  };
}

/** Round-number ticks (1, 2, 2.5 or 5 × 10^k apart) inside [min, max]. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!(max > min)) return [min];
  const raw = (max - min) / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? raw;
  const ticks: number[] = [];
  for (let v = Math.ceil(min / step) * step; v <= max + step * 1e-9; v += step) ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

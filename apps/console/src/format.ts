// Numbers, percentages, times and ages in the reader's language: vi-VN groups with dots
// (3.189.339), en-US with commas. Times are shown in the city's zone whatever the screen's zone.
export const cityTimeZone = 'Asia/Ho_Chi_Minh';

export function localeOf(language: string): string {
  return language.startsWith('en') ? 'en-US' : 'vi-VN';
}

export function formatNumber(n: number, language: string): string {
  return new Intl.NumberFormat(localeOf(language)).format(n);
}

export function formatPct(pct: number, language: string, digits = 1): string {
  return `${new Intl.NumberFormat(localeOf(language), {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(pct)} %`;
}

export function formatTime(iso: string, language: string): string {
  return new Intl.DateTimeFormat(localeOf(language), {
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone: cityTimeZone,
  }).format(new Date(iso));
}

export function formatDateTime(iso: string, language: string): string {
  const date = new Intl.DateTimeFormat(localeOf(language), {
    day: '2-digit',
    month: '2-digit',
    // With the year, ICU writes 15/03/2026 in vi-VN (without it, 15-03).
    year: 'numeric',
    timeZone: cityTimeZone,
  }).format(new Date(iso));
  const time = new Intl.DateTimeFormat(localeOf(language), {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
    timeZone: cityTimeZone,
  }).format(new Date(iso));
  return `${date} ${time}`;
}

/** "5 giây trước" / "5 seconds ago", in the largest whole unit. */
export function formatAge(ms: number, language: string): string {
  const rtf = new Intl.RelativeTimeFormat(localeOf(language), { numeric: 'auto' });
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return rtf.format(-seconds, 'second');
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return rtf.format(-minutes, 'minute');
  return rtf.format(-Math.floor(minutes / 60), 'hour');
}

/** Hash prefix for display; the full hash stays copyable. */
export function shortHash(hash: string): string {
  return hash.length > 12 ? `${hash.slice(0, 8)}…${hash.slice(-4)}` : hash;
}

/**
 * Times as a channel reads them, in its own zone: "2026-04-15 11:00 JST" in English and
 * "4月15日 11:00 JST" in Japanese (the year only when it is not the reference's year).
 * Intl names Tokyo's zone "GMT+9" in English and "JST" only in Japanese, so zones with a
 * well-known abbreviation are named here, once.
 */
import type { Lang } from '../types.ts';

const ABBREVIATIONS: Record<string, string> = {
  'Asia/Tokyo': 'JST',
  Japan: 'JST',
  UTC: 'UTC',
  'Etc/UTC': 'UTC',
  GMT: 'UTC',
};

const formats = new Map<string, Intl.DateTimeFormat>();

function formatOf(timeZone: string): Intl.DateTimeFormat {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'short',
    });
    formats.set(timeZone, format);
  }
  return format;
}

interface Parts {
  year: string;
  month: string;
  day: string;
  hour: string;
  minute: string;
  zone: string;
}

function partsOf(iso: string, timeZone: string): Parts | null {
  const at = Date.parse(iso);
  if (!Number.isFinite(at)) return null;
  let format: Intl.DateTimeFormat;
  try {
    format = formatOf(timeZone);
  } catch {
    return partsOf(iso, 'UTC');
  }
  const parts = format.formatToParts(at);
  const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return {
    year: get('year'),
    month: get('month'),
    day: get('day'),
    hour: get('hour'),
    minute: get('minute'),
    zone: ABBREVIATIONS[timeZone] ?? get('timeZoneName'),
  };
}

/** `reference` (ISO): in Japanese the year is left out when it is the reference's year. */
export function formatTime(iso: string, timeZone: string, lang: Lang = 'en', reference?: string): string {
  const p = partsOf(iso, timeZone);
  if (!p) return iso;
  if (lang === 'en') return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute} ${p.zone}`;
  const refYear = reference ? partsOf(reference, timeZone)?.year : undefined;
  const year = refYear === p.year ? '' : `${p.year}年`;
  return `${year}${Number(p.month)}月${Number(p.day)}日 ${p.hour}:${p.minute} ${p.zone}`;
}

/**
 * Feed dates → epoch ms, in the forms feedparser reads (RFC 822/2822 with every zone
 * name it knows, W3C-DTF and ISO 8601 including compact and ordinal forms, asctime,
 * MSSQL, Perforce) plus the Japanese ones news sites use (2025年12月1日 10時00分,
 * 令和7年12月1日, a weekday in brackets, JST). A date without a zone is read in the
 * feed's zone, given as minutes east of UTC (a Japanese feed: +540), because a
 * Japanese site that writes "2025-12-01 10:00" means Tokyo time, not the server's.
 */

/** RFC 822 zone names and the North American and Asian ones feeds use, in minutes east of UTC. */
const ZONES: Record<string, number> = {
  ut: 0,
  utc: 0,
  gmt: 0,
  z: 0,
  wet: 0,
  bst: 60,
  cet: 60,
  met: 60,
  cest: 120,
  mest: 120,
  eet: 120,
  eest: 180,
  msk: 180,
  ist: 330,
  ict: 420,
  wib: 420,
  hkt: 480,
  sgt: 480,
  awst: 480,
  pht: 480,
  jst: 540,
  kst: 540,
  acst: 570,
  aest: 600,
  nzst: 720,
  nzdt: 780,
  ast: -240,
  adt: -180,
  est: -300,
  edt: -240,
  cst: -360,
  cdt: -300,
  mst: -420,
  mdt: -360,
  pst: -480,
  pdt: -420,
  akst: -540,
  akdt: -480,
  hst: -600,
  nst: -210,
  ndt: -150,
  // Military letters (feedparser reads them; RFC 822's own signs are reversed and were never used).
  a: -60,
  b: -120,
  c: -180,
  d: -240,
  e: -300,
  f: -360,
  g: -420,
  h: -480,
  i: -540,
  k: -600,
  l: -660,
  m: -720,
  n: 60,
  o: 120,
  p: 180,
  q: 240,
  r: 300,
  s: 360,
  t: 420,
  u: 480,
  v: 540,
  w: 600,
  x: 660,
  y: 720,
};

const MONTHS: Record<string, number> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  oct: 10,
  nov: 11,
  dec: 12,
  january: 1,
  february: 2,
  march: 3,
  april: 4,
  june: 6,
  july: 7,
  august: 8,
  september: 9,
  sept: 9,
  october: 10,
  november: 11,
  december: 12,
};

/** Japanese era → the Gregorian year before its first (令和1 = 2019). */
const ERAS: Record<string, number> = { 令和: 2018, 平成: 1988, 昭和: 1925, R: 2018, H: 1988, S: 1925 };

interface Parts {
  year: number;
  month: number;
  day: number;
  hour?: number;
  minute?: number;
  second?: number;
  ms?: number;
  /** Minutes east of UTC; undefined when the date gives none. */
  offset?: number;
}

function fullYear(year: number, digits: number): number {
  if (digits > 2) return year;
  return year < 50 ? 2000 + year : 1900 + year;
}

/** "+0900", "+09:00", "-5", "GMT+9", "JST", "Z" → minutes east of UTC. */
function zoneOffset(raw: string | undefined): number | undefined {
  if (!raw) return undefined;
  const zone = raw
    .trim()
    .toLowerCase()
    .replace(/^\(|\)$/g, '');
  if (!zone) return undefined;
  if (zone in ZONES) return ZONES[zone];
  const m = /^(?:gmt|ut|utc)?\s*([+-])(\d{1,2}):?(\d{2})?$/.exec(zone);
  if (!m) return undefined;
  const minutes = Number(m[2]) * 60 + Number(m[3] ?? 0);
  return m[1] === '-' ? -minutes : minutes;
}

function toEpoch(p: Parts, feedOffset: number): number | undefined {
  const { year, month, day } = p;
  const hour = p.hour ?? 0;
  const minute = p.minute ?? 0;
  const second = p.second ?? 0;
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 24 || minute > 59 || second > 61)
    return undefined;
  const local = Date.UTC(year, month - 1, day, hour, minute, Math.min(second, 59), p.ms ?? 0);
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCDate() !== day) return undefined;
  return local - (p.offset ?? feedOffset) * 60_000;
}

const TIME = String.raw`(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?`;

/** RFC 822 and its relatives: "Thu, 01 Jan 2004 19:48:21 GMT", "1 Jan 04 19:48 EST", "01-Jan-2004". */
function rfc822(s: string): Parts | undefined {
  const m = new RegExp(
    String.raw`^(?:[a-z]{2,9}\.?,?\s*)?(\d{1,2})(?:\s+|-)([a-z]{3,9})\.?,?(?:\s+|-)(\d{2,4})(?:\s+|T)?(?:${TIME})?\s*([a-z]{1,5}|(?:gmt|utc|ut)?\s*[+-]\d{1,2}:?(?:\d{2})?|\([a-z]+\))?\s*(?:\([^)]*\))?$`,
    'i',
  ).exec(s);
  if (m) {
    const month = MONTHS[(m[2] ?? '').toLowerCase()];
    if (!month) return undefined;
    return {
      year: fullYear(Number(m[3]), (m[3] ?? '').length),
      month,
      day: Number(m[1]),
      ...clock(m[4], m[5], m[6], m[7]),
      ...(m[8] ? { offset: zoneOffset(m[8]) ?? 0 } : {}),
    };
  }
  // Month before day: "Thu, Jan 01 2004 19:48:21 GMT", asctime "Sun Jan  4 16:29:06 2004".
  const n = new RegExp(
    String.raw`^(?:[a-z]{2,9}\.?,?\s*)?([a-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(?:(\d{4})\s+)?(?:${TIME})?\s*([a-z]{1,5}|[+-]\d{2}:?\d{2})?\s*(\d{4})?$`,
    'i',
  ).exec(s);
  if (!n) return undefined;
  const month = MONTHS[(n[1] ?? '').toLowerCase()];
  const year = n[3] ?? n[9];
  if (!month || !year) return undefined;
  return {
    year: Number(year),
    month,
    day: Number(n[2]),
    ...clock(n[4], n[5], n[6], n[7]),
    ...(n[8] ? { offset: zoneOffset(n[8]) ?? 0 } : {}),
  };
}

function clock(h?: string, m?: string, s?: string, f?: string): Partial<Parts> {
  if (h === undefined) return {};
  return {
    hour: Number(h),
    minute: Number(m ?? 0),
    second: Number(s ?? 0),
    ...(f ? { ms: Math.round(Number(`0.${f}`) * 1000) } : {}),
  };
}

/** W3C-DTF / ISO 8601: "2004-01-01T19:48:21+01:00", "2004-01-01 19:48", "20040101T194821Z", "2004-01", "2004-032". */
function iso8601(s: string): Parts | undefined {
  const zone = String.raw`\s*(Z|[+-]\d{2}(?::?\d{2})?|[a-z]{2,4})?`;
  let m = new RegExp(
    String.raw`^(\d{4})(?:-?(\d{2})(?:-?(\d{2}))?)?(?:(?:T|\s+)(\d{2}):?(\d{2})(?::?(\d{2})(?:[.,](\d+))?)?${zone})?$`,
    'i',
  ).exec(s);
  if (m && !(m[2] && !m[3] && !s.includes('-'))) {
    return {
      year: Number(m[1]),
      month: Number(m[2] ?? 1),
      day: Number(m[3] ?? 1),
      ...clock(m[4], m[5], m[6], m[7]),
      ...(m[8] ? { offset: zoneOffset(m[8]) ?? 0 } : {}),
    };
  }
  // Ordinal date: "2004-032" (the 32nd day).
  m = new RegExp(String.raw`^(\d{4})-?(\d{3})(?:T(\d{2}):?(\d{2})(?::?(\d{2}))?${zone})?$`, 'i').exec(s);
  if (m) {
    const first = new Date(Date.UTC(Number(m[1]), 0, Number(m[2])));
    return {
      year: first.getUTCFullYear(),
      month: first.getUTCMonth() + 1,
      day: first.getUTCDate(),
      ...clock(m[3], m[4], m[5]),
      ...(m[6] ? { offset: zoneOffset(m[6]) ?? 0 } : {}),
    };
  }
  // Two-digit year with a leading hyphen: "-03-12" is December 2003 (ISO 8601's truncated form).
  m = /^-(\d{2})-?(\d{2})$/.exec(s);
  if (m) return { year: fullYear(Number(m[1]), 2), month: Number(m[2]), day: 1 };
  return undefined;
}

/** "2004/07/08 23:56:58", "Fri, 2006/09/15 08:19:53 EDT" (Perforce), "2004-07-08 23:56:58.0" (MSSQL). */
function slashed(s: string): Parts | undefined {
  const m = new RegExp(
    String.raw`^(?:[a-z]{2,9},?\s+)?(\d{4})[/.](\d{1,2})[/.](\d{1,2})(?:\s+|T)?(?:${TIME})?\s*([a-z]{1,5}|[+-]\d{2}:?\d{2})?$`,
    'i',
  ).exec(s);
  if (!m) return undefined;
  return {
    year: Number(m[1]),
    month: Number(m[2]),
    day: Number(m[3]),
    ...clock(m[4], m[5], m[6], m[7]),
    ...(m[8] ? { offset: zoneOffset(m[8]) ?? 0 } : {}),
  };
}

/** 2025年12月1日(月) 10時00分, 令和7年12月1日 10:00, 2025年12月1日 午後3時 — Japanese forms, JST unless a zone is given. */
function japanese(s: string): Parts | undefined {
  const text = s.normalize('NFKC');
  const m =
    /^(?:(令和|平成|昭和|[RHS])\s*(\d{1,2}|元)|(\d{2,4}))\s*[年./-]\s*(\d{1,2})\s*[月./-]\s*(\d{1,2})\s*日?\s*(?:[(（]?\s*[日月火水木金土](?:曜日?)?\s*[)）]?)?\s*(午前|午後|AM|PM)?\s*(?:(\d{1,2})\s*[時:]\s*(?:(\d{1,2})\s*分?)?\s*(?::?(\d{1,2})\s*秒?)?)?\s*(JST|UTC|GMT|[+-]\d{2}:?\d{2})?$/i.exec(
      text,
    );
  if (!m || !/[年月日時]|^[RHS]|令和|平成|昭和/i.test(text)) return undefined;
  const year = m[1]
    ? (ERAS[m[1]] ?? 0) + (m[2] === '元' ? 1 : Number(m[2]))
    : fullYear(Number(m[3]), (m[3] ?? '').length);
  let hour = m[7] === undefined ? undefined : Number(m[7]);
  if (hour !== undefined && /午後|PM/i.test(m[6] ?? '') && hour < 12) hour += 12;
  if (hour !== undefined && /午前|AM/i.test(m[6] ?? '') && hour === 12) hour = 0;
  return {
    year,
    month: Number(m[4]),
    day: Number(m[5]),
    ...(hour !== undefined ? { hour, minute: Number(m[8] ?? 0), second: Number(m[9] ?? 0) } : {}),
    offset: zoneOffset(m[10]) ?? 540,
  };
}

/**
 * Reads a feed date; undefined when it is in no known form. `feedOffset` (minutes east
 * of UTC) is the zone of a date that names none.
 */
export function parseFeedDate(raw: string, feedOffset = 0): number | undefined {
  const s = raw.normalize('NFKC').replace(/\s+/g, ' ').trim();
  if (!s) return undefined;
  for (const reader of [iso8601, rfc822, slashed, japanese]) {
    const parts = reader(s);
    if (!parts) continue;
    const at = toEpoch(parts, feedOffset);
    if (at !== undefined && Number.isFinite(at)) return at;
  }
  return undefined;
}

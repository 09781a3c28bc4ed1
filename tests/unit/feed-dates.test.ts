import { describe, expect, it } from 'vitest';
import { parseFeedDate } from '../../src/feeds/dates.ts';

const iso = (raw: string, offset = 0) => {
  const at = parseFeedDate(raw, offset);
  return at === undefined ? undefined : new Date(at).toISOString();
};

describe('feed dates in the forms feedparser reads', () => {
  it.each([
    ['Thu, 01 Jan 2004 19:48:21 GMT', '2004-01-01T19:48:21.000Z'],
    ['Thu, 01 Jan 2004 19:48:21 +0100', '2004-01-01T18:48:21.000Z'],
    ['Thu, 01 Jan 2004 19:48 EST', '2004-01-02T00:48:00.000Z'],
    ['01 Jan 04 19:48:21 PDT', '2004-01-02T02:48:21.000Z'],
    ['Thu, 1 Jan 2004 19:48:21 Z', '2004-01-01T19:48:21.000Z'],
    ['Mon, 01 Dec 2025 10:00:00 JST', '2025-12-01T01:00:00.000Z'],
    ['Mon, 01 Dec 2025 10:00:00 +0900', '2025-12-01T01:00:00.000Z'],
    ['Thu, 01-Jan-2004 19:48:21 GMT', '2004-01-01T19:48:21.000Z'],
    ['Sun Jan  4 16:29:06 2004', '2004-01-04T16:29:06.000Z'],
    ['2004-01-01T19:48:21Z', '2004-01-01T19:48:21.000Z'],
    ['2004-01-01T19:48:21.25+09:00', '2004-01-01T10:48:21.250Z'],
    ['2004-01-01T19:48+0100', '2004-01-01T18:48:00.000Z'],
    ['20040101T194821Z', '2004-01-01T19:48:21.000Z'],
    ['20040101', '2004-01-01T00:00:00.000Z'],
    ['2004-01', '2004-01-01T00:00:00.000Z'],
    ['2004-032', '2004-02-01T00:00:00.000Z'],
    ['-03-12', '2003-12-01T00:00:00.000Z'],
    ['2004-07-08 23:56:58.0', '2004-07-08T23:56:58.000Z'],
    ['Fri, 2006/09/15 08:19:53 EDT', '2006-09-15T12:19:53.000Z'],
  ])('%s', (raw, expected) => {
    expect(iso(raw)).toBe(expected);
  });

  it('says nothing of what is not a date', () => {
    for (const raw of ['', 'tomorrow', 'Thu, 45 Foo 2004', '2004-13-45'])
      expect(parseFeedDate(raw), raw).toBeUndefined();
  });
});

describe('Japanese dates', () => {
  it.each([
    ['2025年12月1日 10時00分', '2025-12-01T01:00:00.000Z'],
    ['2025年12月1日(月) 10:00', '2025-12-01T01:00:00.000Z'],
    ['2025年12月1日（月曜日） 10時30分', '2025-12-01T01:30:00.000Z'],
    ['２０２５年１２月１日 午後３時', '2025-12-01T06:00:00.000Z'],
    ['令和7年12月1日 10時00分', '2025-12-01T01:00:00.000Z'],
    ['令和元年5月1日', '2019-04-30T15:00:00.000Z'],
    ['平成31年4月30日', '2019-04-29T15:00:00.000Z'],
    ['2025/12/01 10:00 JST', '2025-12-01T01:00:00.000Z'],
  ])('%s is Tokyo time', (raw, expected) => {
    // The feed's own zone is UTC here: a Japanese form says Tokyo by itself.
    expect(iso(raw, 0)).toBe(expected);
  });
});

describe('a date without a zone is read in the feed zone', () => {
  it('a Japanese feed (+09:00) and an English one (UTC)', () => {
    expect(iso('2025-12-01 10:00:00', 540)).toBe('2025-12-01T01:00:00.000Z');
    expect(iso('2025-12-01T10:00:00', 540)).toBe('2025-12-01T01:00:00.000Z');
    expect(iso('2025/12/01 10:00', 540)).toBe('2025-12-01T01:00:00.000Z');
    expect(iso('2025-12-01 10:00:00', 0)).toBe('2025-12-01T10:00:00.000Z');
    expect(iso('Mon, 01 Dec 2025 10:00:00', 540)).toBe('2025-12-01T01:00:00.000Z');
  });

  it('a date that names its zone keeps it whatever the feed', () => {
    expect(iso('2025-12-01T10:00:00Z', 540)).toBe('2025-12-01T10:00:00.000Z');
    expect(iso('Mon, 01 Dec 2025 10:00:00 GMT', 540)).toBe('2025-12-01T10:00:00.000Z');
  });
});

import { describe, expect, it } from 'vitest';
import { foldForMatch, normaliseText, stripHtml } from '../../src/core/normalise.ts';
import { normaliseUrl } from '../../src/core/url.ts';

describe('normalise', () => {
  it('turns full-width Latin, digits and punctuation into ASCII (NFKC)', () => {
    expect(normaliseText('ＫＤＤＩ、ＡＩ新興ＥＬＹＺＡを子会社化　株式５３．４％取得')).toBe(
      'KDDI、AI新興ELYZAを子会社化 株式53.4%取得',
    );
    expect(normaliseText('ＬＬＭ')).toBe('LLM');
    expect(normaliseText('ｿﾌﾄﾊﾞﾝｸ')).toBe('ソフトバンク');
  });

  it('strips HTML and decodes entities, dropping scripts', () => {
    expect(stripHtml('<p>Fujitsu &amp; Cohere&#x27;s <b>Takane</b></p><script>x()</script>')).toBe(
      "Fujitsu & Cohere's Takane",
    );
    expect(normaliseText('A&nbsp;&lt;b&gt;  B\n\nC')).toBe('A <b> B C');
  });

  it('folds case for matching', () => {
    expect(foldForMatch('ＳｏｆｔＢａｎｋ')).toBe('softbank');
  });

  it('normalises URLs: scheme, www, tracking parameters, trailing slash, fragment', () => {
    const a = normaliseUrl('https://www.example.com/news/1/?utm_source=rss&id=3#top');
    const b = normaliseUrl('http://example.com/news/1?id=3');
    expect(a).toBe(b);
    expect(normaliseUrl('https://example.com/a?id=3')).not.toBe(normaliseUrl('https://example.com/a?id=4'));
  });
});

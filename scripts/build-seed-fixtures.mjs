// Turns ../shared/seeds/*.txt into tests/fixtures/seeds.jsonl (devset format), the
// form in which every suite serves, classifies and clusters the seed articles.
// Titles come from the article (its headline line, or its first sentence); the
// outlet, URL and date are the ones the seeds README and the texts give.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.argv[2] ?? '../shared/seeds';
const meta = [
  {
    file: '000_76222958d6ca1d84.txt',
    source: 'TechNode Global',
    published: '2026-04-15T02:00:00Z',
    event: 'seed-mhi-pfn-alliance',
  },
  {
    file: '001_bbcda22fc88dd2e5.txt',
    source: 'TechTimes',
    published: '2026-04-07T03:00:00Z',
    event: 'seed-japan-ai-foundation-company',
  },
  {
    file: '002_33276b7bb33991b3.txt',
    source: 'AI Deskmon',
    published: '2026-04-13T01:00:00Z',
    event: 'seed-japan-ai-foundation-company',
  },
  {
    file: '003_e0bc1ea6c1aeb075.txt',
    source: 'Kyodo News',
    published: '2026-04-06T09:00:00Z',
    event: 'seed-japan-ai-foundation-company',
  },
  {
    file: '004_4d59c33d976539db.txt',
    source: 'Korea Daily',
    published: '2026-04-12T12:00:00Z',
    event: 'seed-japan-ai-foundation-company',
  },
];

const firstSentence = (text) => (text.match(/^.*?[.!?](?=\s|$)/)?.[0] ?? text).trim();

const lines = meta.map(({ file, source, published, event }) => {
  const text = readFileSync(join(dir, file), 'utf8').replace(/\r/g, '');
  const paragraphs = text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const headline = paragraphs[0].length <= 120 && !/[.!?]$/.test(paragraphs[0]);
  const title = headline ? paragraphs[0] : firstSentence(paragraphs[0]);
  // A byline ("AI DESKMON, APR 13, 2026") is not the lead.
  const rest = paragraphs
    .slice(headline || title === paragraphs[0] ? 1 : 0)
    .filter((p, i) => !(i === 0 && /^[A-Z .]+, [A-Z]{3} \d{1,2}, \d{4}$/.test(p)));
  const summary = rest[0] ?? '';
  const id = file.slice(0, 3);
  return JSON.stringify({
    id,
    source,
    url: `https://seeds.example/${file.replace('.txt', '')}`,
    lang: 'en',
    published,
    title,
    summary,
    content: rest.join('\n'),
    relevant: true,
    event,
    note: 'Seed article; expected labels from shared/seeds/README.md',
  });
});
writeFileSync(join(process.argv[3] ?? 'tests/fixtures', 'seeds.jsonl'), `${lines.join('\n')}\n`);

"""Writes what Python feedparser reads from the peer corpus: the reference the feed
reader is measured against (tests/fixtures/peer/reference.jsonl).

Input is the directory of served copies written by `scripts/peer-measure.ts --served DIR`
(the corpus files with links injected where an entry has none) and its manifest.json
(path -> content type). Run with feedparser 6 and chardet, as feedparser is usually installed
(Debian: apt-get install python3-feedparser python3-chardet; the reference was written with 6.0.10):

    node --import tsx scripts/peer-measure.ts --served /tmp/peer-served
    /usr/bin/python3 scripts/peer-reference.py /tmp/peer-served > tests/fixtures/peer/reference.jsonl
"""
import calendar
import html
import html.parser
import json
import os
import sys
import time

import feedparser

BASE = 'http://peer.test/'
HTML_TYPES = ('text/html', 'application/xhtml+xml')


class Text(html.parser.HTMLParser):
    """HTML to its text, without script and style bodies (what a reader shows)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ('script', 'style'):
            self.skip += 1
        elif tag in ('br', 'p', 'div', 'li'):
            self.parts.append(' ')

    def handle_endtag(self, tag):
        if tag in ('script', 'style') and self.skip:
            self.skip -= 1

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def text_of(value, detail):
    if value is None:
        return None
    kind = (detail or {}).get('type', 'text/plain')
    if kind not in HTML_TYPES:
        return value
    parser = Text()
    parser.feed(value)
    parser.close()
    return ''.join(parser.parts)


def minute(parsed):
    if not parsed:
        return None
    return time.strftime('%Y-%m-%dT%H:%MZ', time.gmtime(calendar.timegm(parsed)))


def main(served):
    with open(os.path.join(served, 'manifest.json')) as f:
        manifest = json.load(f)
    for path in sorted(manifest):
        with open(os.path.join(served, path), 'rb') as f:
            data = f.read()
        headers = {'content-type': manifest[path], 'content-location': BASE + path}
        try:
            result = feedparser.parse(data, response_headers=headers)
        except Exception as error:  # feedparser itself fails on a few files: nothing to hold a reader to
            print(json.dumps({'path': path, 'crashed': repr(error)[:200], 'entries': []}))
            continue
        entries = []
        for e in result.entries:
            entries.append({
                'title': text_of(e.get('title'), e.get('title_detail')),
                'link': e.get('link'),
                'published': minute(e.get('published_parsed') or e.get('updated_parsed') or e.get('created_parsed')),
                # A summary copied from the content has no detail of its own: the content's type is its type.
                'summary': text_of(e.get('summary'), e.get('summary_detail') or (e.get('content') or [None])[0]),
            })
        feed = result.get('feed', {})
        print(json.dumps({
            'path': path,
            'bozo': bool(result.get('bozo')),
            'version': result.get('version') or '',
            'encoding': result.get('encoding') or '',
            'title': text_of(feed.get('title'), feed.get('title_detail')),
            'entries': entries,
        }, ensure_ascii=False))


if __name__ == '__main__':
    main(sys.argv[1])

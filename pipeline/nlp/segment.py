"""Split an article into sentences: the title first, then the body line by line.

A line break ends a sentence (headlines, datelines and bullet points often have no
final stop), except a soft wrap: a line continuing in lower case.
"""

from __future__ import annotations

from functools import lru_cache

import pysbd


@lru_cache(maxsize=1)
def _segmenter() -> pysbd.Segmenter:
    return pysbd.Segmenter(language="en", clean=False)


def split_lines(body: str) -> list[str]:
    blocks: list[str] = []
    for line in (l.strip() for l in body.splitlines()):
        if not line:
            continue
        if blocks and line[0].islower() and blocks[-1][-1] not in ".!?:\"'\u201d":
            blocks[-1] += " " + line
        else:
            blocks.append(line)
    return blocks


def split_sentences(text: str) -> list[str]:
    return [s.strip() for block in split_lines(text) for s in _segmenter().segment(" ".join(block.split())) if s.strip()]


def article_sentences(title: str, body: str) -> list[str]:
    """The sentences of an article in reading order; the headline counts as a sentence."""
    head = [" ".join(title.split())] if title.strip() else []
    return head + split_sentences(body)

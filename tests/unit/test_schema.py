import pytest
from pydantic import ValidationError

from pipeline.schema import Article, DeadLetter, article_id_for, canonical_url


def test_article_id_is_stable_across_url_spellings():
    a = Article(url="https://www.Example.org/news/truce/?utm_source=rss#top", title="T", body="B")
    b = Article(url="https://example.org/news/truce", title="Other title", body="Other body")
    assert a.id == b.id
    assert canonical_url("http://EXAMPLE.org:80/a/?b=2&a=1") == "http://example.org/a?a=1&b=2"


def test_article_id_without_url_hashes_source_title_and_body():
    one = article_id_for(None, "Wire", "Title", "Body")
    assert one == article_id_for(None, " wire ", "Title", "Body")
    assert one != article_id_for(None, "Wire", "Title", "Body changed")


def test_validation_names_the_field():
    with pytest.raises(ValidationError) as error:
        Article(title="x", body="")
    assert error.value.errors()[0]["loc"] == ("body",)
    with pytest.raises(ValidationError):
        Article(body="b", url="ftp://example.org/x")
    with pytest.raises(ValidationError):
        Article(body="x" * 1_000_001)


def test_naive_dates_become_utc():
    article = Article(body="b", published_at="2025-07-26T10:00:00")
    assert article.published_at.utcoffset().total_seconds() == 0


def test_dead_letter_keeps_text_readable_and_binary_exact():
    text = DeadLetter.for_payload("validate", "bad", b'{"oops"', max_bytes=1024)
    assert (text.payload, text.payload_encoding, text.payload_truncated) == ('{"oops"', "utf-8", False)
    binary = DeadLetter.for_payload("validate", "bad", b"\xff\xfe\x00", max_bytes=1024)
    assert binary.payload_encoding == "base64" and binary.payload_bytes == 3
    huge = DeadLetter.for_payload("validate", "bad", b"a" * 5000, max_bytes=1024)
    assert huge.payload_truncated and len(huge.payload) == 1024 and huge.payload_bytes == 5000

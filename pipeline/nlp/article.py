"""Classify whole articles: every sentence with its preceding context, then the roll-up."""

from __future__ import annotations

from pipeline.nlp.attribution import fits_pronoun
from pipeline.nlp.classifier import CeasefireClassifier
from pipeline.nlp.segment import article_sentences
from pipeline.schema import LABELS, Article, ArticleResult, Evidence, Prediction, Statement

DEFAULT_CONTEXT_SENTENCES = 2


def contexts_for(sentences: list[str], size: int) -> list[str]:
    """The ``size`` sentences before each sentence, joined: what the model reads as context."""
    return [" ".join(sentences[max(0, i - size) : i]) for i in range(len(sentences))]


def classify_articles(
    classifier: CeasefireClassifier, articles: list[Article], context_sentences: int = DEFAULT_CONTEXT_SENTENCES
) -> list[ArticleResult]:
    """All sentences of all articles go through the model together, so batches stay full."""
    per_article = [article_sentences(a.title, a.body) for a in articles]
    texts = [s for sentences in per_article for s in sentences]
    contexts = [c for sentences in per_article for c in contexts_for(sentences, context_sentences)]
    predictions = classifier.predict(texts, contexts)
    results, cursor = [], 0
    for article, sentences in zip(articles, per_article):
        mine = predictions[cursor : cursor + len(sentences)]
        cursor += len(sentences)
        results.append(article_result(article, sentences, mine, classifier.version))
    return results


def article_result(article: Article, sentences: list[str], predictions: list[Prediction], model_version: str) -> ArticleResult:
    statements = resolve_pronouns(
        [Statement(index=i, text=text, **p.model_dump(), speaker_mention=p.speaker_mention) for i, (text, p) in enumerate(zip(sentences, predictions))]
    )
    counts = {label: sum(s.label == label for s in statements) for label in LABELS}
    claim, denial = strongest(statements, "claim"), strongest(statements, "denial")
    return ArticleResult(
        **article.model_dump(include={"id", "url", "title", "source", "published_at", "language", "ingested_at"}),
        model_version=model_version,
        statements=statements,
        counts=counts,
        stance=stance(statements),
        disputed=claim is not None and denial is not None,
        strongest_claim=claim,
        strongest_denial=denial,
        speakers=unique(s.speaker for s in statements if s.speaker),
        parties=unique(p for s in statements for p in s.parties),
    )


def resolve_pronouns(statements: list[Statement]) -> list[Statement]:
    """A speaker given only as "he"/"the ministry" is the last speaker named earlier in the article who fits it
    ("he" a person, "it" an institution); none fitting leaves the speaker empty rather than wrong."""
    named: list[str] = []
    for statement in statements:
        if statement.speaker:
            named.append(statement.speaker)
        elif statement.speaker_mention and statement.label != "none":
            statement.speaker = next((n for n in reversed(named) if fits_pronoun(statement.speaker_mention, n)), "")
    return statements


def strongest(statements: list[Statement], label: str) -> Evidence | None:
    candidates = [s for s in statements if s.label == label]
    if not candidates:
        return None
    best = max(candidates, key=lambda s: s.confidence)
    return Evidence(index=best.index, text=best.text, speaker=best.speaker, confidence=best.confidence)


def stance(statements: list[Statement]) -> str:
    """What the article amounts to: disputed if it holds a claim and a denial, else its weightiest label."""
    weight = {label: sum(s.confidence for s in statements if s.label == label) for label in LABELS if label != "none"}
    if weight["claim"] and weight["denial"]:
        return "disputed"
    top = max(weight, key=weight.get)
    return top if weight[top] else "none"


def unique(items) -> list[str]:
    return list(dict.fromkeys(items))

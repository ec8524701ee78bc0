"""Who says it and whom it concerns, on the cases the product is about."""

from __future__ import annotations

from pipeline.nlp.article import classify_articles
from pipeline.schema import Article


def test_head_of_state_claim_names_speaker_and_both_parties(classifier):
    [p] = classifier.predict(["US President Donald Trump said Thailand and Cambodia had agreed to halt the fighting."])
    assert p.label == "claim"
    assert p.speaker in {"Donald Trump", "Trump"}
    assert p.parties == ["Thailand", "Cambodia"]


def test_ministry_denial_keeps_the_institution_as_speaker(classifier):
    [p] = classifier.predict(["Thailand's foreign ministry denied that any ceasefire deal had been reached with Cambodia."])
    assert p.label == "denial"
    assert "foreign ministry" in p.speaker
    assert "Cambodia" in p.parties


def test_capital_as_speaker_and_demonyms_normalised(classifier):
    [p] = classifier.predict(["Phnom Penh said Thai forces had shelled Cambodian villages in breach of the truce."])
    assert p.label == "violation"
    assert p.speaker == "Phnom Penh"
    assert set(p.parties) == {"Thailand", "Cambodia"}


def test_pronoun_resolved_from_context_in_sentence_mode(classifier):
    [p] = classifier.predict(
        ["He said Cambodia had agreed to an immediate and unconditional ceasefire."],
        ["Cambodian Prime Minister Hun Manet spoke to reporters in Phnom Penh on Sunday."],
    )
    assert p.label == "claim"
    assert p.speaker == "Hun Manet"


def test_pronoun_resolved_to_last_named_speaker_in_article_mode(classifier):
    article = Article(
        url="https://example.org/hun-manet",
        title="Border talks: the latest",
        body=(
            "PHNOM PENH - Cambodian Prime Minister Hun Manet said on Monday that Cambodia wanted talks with Thailand.\n\n"
            "The cabinet meeting lasted three hours.\n\n"
            "Ministers also discussed the economy and the monsoon harvest.\n\n"
            "He said Cambodia had agreed to an immediate ceasefire with Thailand."
        ),
    )
    [result] = classify_articles(classifier, [article], context_sentences=1)
    assert result.statements[1].speaker == "Hun Manet"
    last = result.statements[-1]
    assert last.label == "claim"
    assert last.speaker == "Hun Manet", "resolved from an earlier statement, beyond the model's context"


def test_motivating_case_article_is_disputed(classifier):
    article = Article(
        url="https://example.org/disputed",
        title="Trump says Thailand, Cambodia agree to stop fighting",
        body=(
            "WASHINGTON - US President Donald Trump said on Saturday that Thailand and Cambodia had agreed to halt the fighting "
            "after he spoke to both leaders.\n\n"
            "Thailand's foreign ministry said on Sunday that no such agreement had been reached and that the fighting would "
            "continue until Cambodia withdrew its troops."
        ),
    )
    [result] = classify_articles(classifier, [article])
    assert result.disputed and result.stance == "disputed"
    assert result.strongest_claim.speaker in {"Donald Trump", "Trump"}
    assert "foreign ministry" in result.strongest_denial.speaker

from pipeline.nlp.article import article_result, contexts_for
from pipeline.schema import LABELS, Article, Prediction


def prediction(label: str, confidence: float = 0.9, speaker: str = "", mention: str = "", parties=()) -> Prediction:
    scores = {l: (confidence if l == label else (1 - confidence) / 4) for l in LABELS}
    return Prediction(label=label, confidence=confidence, scores=scores, speaker=speaker, parties=list(parties), speaker_mention=mention)


ARTICLE = Article(url="https://example.org/x", title="Title", body="b", source="Wire")


def test_claim_and_denial_make_a_disputed_article_with_the_strongest_evidence():
    sentences = ["Headline", "Trump said they agreed.", "Bangkok denied it.", "He said again they agreed.", "Weather."]
    predictions = [
        prediction("none", 0.8),
        prediction("claim", 0.7, "Trump", parties=["Thailand", "Cambodia"]),
        prediction("denial", 0.95, "Bangkok", parties=["Thailand"]),
        prediction("claim", 0.9, "", mention="He"),
        prediction("none", 0.99),
    ]
    result = article_result(ARTICLE, sentences, predictions, "v1")
    assert result.disputed and result.stance == "disputed"
    assert result.counts == {"claim": 2, "denial": 1, "negotiation": 0, "violation": 0, "none": 2}
    assert (result.strongest_claim.index, result.strongest_claim.speaker) == (3, "Trump"), "he -> the last named person"
    assert (result.strongest_denial.index, result.strongest_denial.text) == (2, "Bangkok denied it.")
    assert result.speakers == ["Trump", "Bangkok"] and result.parties == ["Thailand", "Cambodia"]
    assert [s.index for s in result.statements] == [0, 1, 2, 3, 4]


def test_stance_is_the_weightiest_label_and_none_when_nothing_is_said():
    sentences = ["a", "b", "c"]
    talks = article_result(ARTICLE, sentences, [prediction("negotiation", 0.6), prediction("negotiation", 0.6), prediction("violation", 0.9)], "v1")
    assert (talks.stance, talks.disputed, talks.strongest_claim) == ("negotiation", False, None)
    quiet = article_result(ARTICLE, sentences, [prediction("none")] * 3, "v1")
    assert quiet.stance == "none" and quiet.speakers == [] and quiet.parties == []


def test_pronouns_resolve_only_to_speakers_that_fit_them():
    predictions = [prediction("claim", speaker="Hun Manet"), prediction("denial", speaker="Thailand"),
                   prediction("claim", mention="he"), prediction("denial", mention="it"), prediction("claim", mention="they")]
    result = article_result(ARTICLE, ["a", "b", "c", "d", "e"], predictions, "v1")
    assert [s.speaker for s in result.statements] == ["Hun Manet", "Thailand", "Hun Manet", "Thailand", "Thailand"]


def test_unresolved_pronoun_before_any_name_stays_empty():
    result = article_result(ARTICLE, ["a"], [prediction("claim", mention="she")], "v1")
    assert result.statements[0].speaker == ""


def test_context_is_the_preceding_sentences():
    assert contexts_for(["A.", "B.", "C."], 2) == ["", "A.", "A. B."]
    assert contexts_for(["A.", "B.", "C."], 1) == ["", "A.", "B."]
    assert contexts_for(["A.", "B."], 0) == ["", ""]

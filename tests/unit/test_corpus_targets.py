from transformers import AutoTokenizer

from pipeline.nlp.corpus import CONTEXT, SENTENCE, Record, target_spans, with_article_context
from pipeline.nlp.encoding import encode_pairs
from pipeline.nlp.model import TAGS
from pipeline.nlp.train import base_encoder_dir, token_tags


def test_speaker_and_parties_are_located_in_the_sentence():
    record = Record("Trump said Thailand and Cambodia agreed to halt the fighting.", "claim", "Trump", ["Thailand", "Cambodia"])
    spans = target_spans(record)
    assert [(s.kind, record.text[s.start : s.end]) for s in spans] == [("SPK", "Trump"), ("PTY", "Thailand"), ("PTY", "Cambodia")]


def test_pronoun_speaker_is_tagged_with_its_antecedent_in_the_context():
    record = Record("He said no truce had been agreed.", "denial", "Anutin", ["Thailand"], context="Anutin met Thai generals.", speaker_mention="He")
    spans = target_spans(record)
    assert (spans[0].segment, spans[0].kind) == (SENTENCE, "SPK")
    assert (spans[1].segment, record.context[spans[1].start : spans[1].end]) == (CONTEXT, "Anutin")
    assert spans[2].segment == CONTEXT and spans[2].kind == "PTY", "'Thai' in the context names the party"


def test_none_sentences_teach_no_speaker_and_unknown_speakers_teach_nothing():
    assert target_spans(Record("Clashes displaced 900,000 people.", "none")) == []
    assert target_spans(Record("He said so.", "claim", "Someone Unseen", [], speaker_mention="He")) is None


def test_party_names_match_case_sensitively():
    record = Record("The US urged us to accept the truce.", "negotiation", "", ["United States"])
    assert [(record.text[s.start : s.end]) for s in target_spans(record)] == ["US"]


def test_article_context_is_the_preceding_sentences_of_the_same_doc():
    records = [
        Record("A.", "none", meta={"doc": "d1"}),
        Record("B.", "none", meta={"doc": "d1"}),
        Record("C.", "none", meta={"doc": "d1"}),
        Record("D.", "none", meta={"doc": "d2"}),
        Record("E.", "none", meta={"doc": None}),
    ]
    assert [r.context for r in with_article_context(records, sentences=2)] == ["", "A.", "A. B.", "", ""]


def test_token_tags_follow_character_spans_across_segments():
    tokenizer = AutoTokenizer.from_pretrained(base_encoder_dir())
    record = Record("He rejected the truce with Cambodia.", "denial", "Hun Sen", ["Cambodia"], context="Hun Sen spoke.", speaker_mention="He")
    [encoded] = encode_pairs(tokenizer, [record.text], [record.context], 96, 48)
    tags = token_tags(encoded, target_spans(record))
    tokens = tokenizer.convert_ids_to_tokens(encoded.input_ids)
    tagged = [(t, TAGS[g]) for t, g in zip(tokens, tags) if g >= 0 and TAGS[g] != "O"]
    assert tagged == [("hu", "B-SPK"), ("##n", "I-SPK"), ("sen", "I-SPK"), ("he", "B-SPK"), ("cambodia", "B-PTY")]
    assert tags[0] == -100 and encoded.token_type_ids[-1] == 1


def test_context_offsets_point_into_the_whole_context_when_only_its_tail_fits():
    tokenizer = AutoTokenizer.from_pretrained(base_encoder_dir())
    context = "Fighting went on for weeks along the border. " * 20 + "Hun Sen spoke to reporters."
    [encoded] = encode_pairs(tokenizer, ["He rejected the truce."], [context], 96, 48)
    context_words = {context[a:b] for (a, b), segment in zip(encoded.offsets, encoded.segments) if segment == 0}
    assert {"Sen", "spoke", "reporters"} <= context_words

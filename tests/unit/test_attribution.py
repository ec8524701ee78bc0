from pipeline.nlp.attribution import (
    Gazetteer,
    Mention,
    choose_parties,
    choose_speaker,
    clean_mention,
    gazetteer,
    needs_antecedent,
    party_name,
)


def test_clean_mention_trims_possessives_punctuation_and_lowercases_article():
    assert clean_mention("Thailand's") == "Thailand"
    assert clean_mention('"The Thai foreign ministry,') == "the Thai foreign ministry"
    assert clean_mention("  Hun   Manet ") == "Hun Manet"


def test_pronouns_and_bare_references_need_an_antecedent():
    for mention in ("he", "She", "they", "the ministry", "The spokesman", "the foreign ministry"):
        assert needs_antecedent(mention), mention
    for mention in ("Hun Manet", "the Thai foreign ministry", "Bangkok", "Hamas"):
        assert not needs_antecedent(mention), mention


def test_named_sentence_mention_wins_then_context_antecedent():
    assert choose_speaker([Mention("Trump", True, 0.9), Mention("Hun Sen", False, 0.99)]) == ("Trump", "")
    assert choose_speaker([Mention("he", True, 0.9), Mention("Anutin", False, 0.8)]) == ("Anutin", "")
    assert choose_speaker([Mention("he", True, 0.9)]) == ("", "he")
    assert choose_speaker([Mention("Hun Manet", False, 0.9)]) == ("Hun Manet", ""), "an antecedent is only tagged when referred to"
    assert choose_speaker([Mention("the ministry", False, 0.9)]) == ("", "")
    assert choose_speaker([]) == ("", "")


def test_gazetteer_normalises_demonyms_capitals_and_groups():
    names = gazetteer()
    assert names.canonical("Thai troops") == "Thailand"
    assert names.canonical("Phnom Penh") == "Cambodia"
    assert names.canonical("Kyiv") == "Ukraine"
    assert names.canonical("the Rapid Support Forces") == "RSF"
    assert names.canonical("US") == "United States"
    assert names.canonical("us") == "us", "matching is case-sensitive"
    assert names.canonical("Viv Ansanm") == "Viv Ansanm"
    assert names.canonical("the Wa army") == "the Wa army", "unknown names stay as written"


def test_parties_prefer_the_sentence_and_deduplicate_in_order():
    mentions = [Mention("Thai", True, 0.9), Mention("Cambodian", True, 0.9), Mention("Thailand", True, 0.8), Mention("Israel", False, 0.9)]
    assert choose_parties(mentions) == ["Thailand", "Cambodia"]
    assert choose_parties([Mention("Israel", False, 0.9), Mention("Hamas", False, 0.9)]) == ["Israel", "Hamas"]


def test_longest_alias_wins():
    names = Gazetteer({"Congo": "DR Congo", "Democratic Republic of Congo": "DR Congo", "Republic": "X"})
    assert names.find("the Democratic Republic of Congo said") == [(4, 32, "DR Congo")]


def party_in(text: str, span: str) -> str:
    start = text.index(span)
    return party_name(text, start, start + len(span))


def test_party_spans_cut_from_a_longer_name_take_the_known_name_or_nothing():
    sentence = "Standing beside Cambodian Prime Minister Hun Manet, Foreign Secretary Vikram Misri said the Three Brotherhood Alliance had agreed."
    assert party_in(sentence, "Cambodian") == "Cambodia"
    assert party_in(sentence, "Brotherhood Alliance") == "Three Brotherhood Alliance"
    assert party_in(sentence, "Hun") == "", "a fragment of a person's name is not a party"
    assert party_in(sentence, "Secretary Vikram") == ""


def test_party_spans_that_are_not_names_are_dropped_and_unknown_names_kept():
    sentence = "The Karen National Union and pro-Russian separatists already agreed, officials dismissed it."
    assert party_in(sentence, "Karen National Union") == "Karen National Union"
    assert party_in(sentence, "separatists") == "separatists"
    assert party_in(sentence, "already agreed") == ""
    assert party_in(sentence, "dismissed") == ""
    assert party_in("Thai troops fired first.", "Thai troops") == "Thailand"
    assert party_in("Fragile Thai-Cambodian truce holds", "Thai") == "Thailand"

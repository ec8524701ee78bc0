from pipeline.nlp.attribution import Gazetteer, Mention, choose_parties, choose_speaker, clean_mention, gazetteer, needs_antecedent


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

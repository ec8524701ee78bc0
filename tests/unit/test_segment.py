from pipeline.nlp.segment import article_sentences, split_sentences


def test_abbreviations_and_quotes_do_not_split_sentences():
    text = 'U.S. President Donald Trump said on Saturday that the two had agreed to "immediately" halt the fighting. Maj. Gen. Winthai Suvaree denied it.'
    assert split_sentences(text) == [
        'U.S. President Donald Trump said on Saturday that the two had agreed to "immediately" halt the fighting.',
        "Maj. Gen. Winthai Suvaree denied it.",
    ]


def test_line_breaks_end_sentences_but_soft_wraps_do_not():
    body = "Key points\n- Talks on Monday\nThe army said the\nborder was calm.\n\nHe added nothing."
    assert split_sentences(body) == ["Key points", "- Talks on Monday", "The army said the border was calm.", "He added nothing."]


def test_title_is_the_first_sentence():
    assert article_sentences("  Truce   holds ", "Both sides said so.") == ["Truce holds", "Both sides said so."]
    assert article_sentences("", "Only body.") == ["Only body."]

from pipeline.ingest.feeds import html_to_text


def test_line_breaks_and_blocks_separate_words_and_scripts_are_not_text():
    html = "<p>Guns fell silent<br>at midnight.</p><script>var x = 1;</script><style>p {}</style><div>Both sides agreed.</div>"
    assert html_to_text(html) == "Guns fell silent\nat midnight.\nBoth sides agreed."

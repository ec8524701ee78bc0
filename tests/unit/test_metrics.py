import pytest

from pipeline.nlp.metrics import confusion_matrix, expected_calibration_error, macro_f1, normalise_name, per_label_scores


def test_per_label_scores_and_macro_f1():
    gold = ["claim", "claim", "denial", "none"]
    predicted = ["claim", "denial", "denial", "none"]
    scores = per_label_scores(gold, predicted, ("claim", "denial", "none"))
    assert scores["claim"].precision == 1.0 and scores["claim"].recall == 0.5
    assert scores["denial"].precision == 0.5 and scores["denial"].recall == 1.0
    assert macro_f1(scores) == pytest.approx((2 / 3 + 2 / 3 + 1) / 3)
    assert confusion_matrix(gold, predicted, ("claim", "denial", "none")) == [[1, 1, 0], [0, 1, 0], [0, 0, 1]]


def test_ece_is_zero_when_confidence_matches_accuracy_and_large_when_overconfident():
    assert expected_calibration_error([0.75] * 4, [True, True, True, False]) == pytest.approx(0.0)
    assert expected_calibration_error([0.99] * 4, [False] * 4) == pytest.approx(0.99)


def test_speaker_comparison_ignores_case_and_leading_article():
    assert normalise_name("The Thai foreign ministry") == normalise_name("the thai Foreign Ministry")
    assert normalise_name("Trump") != normalise_name("Donald Trump")

from datetime import datetime, timezone

from pipeline.alerts.messages import claim_alerts, dispute_alert
from pipeline.schema import ArticleResult, Dispute, LedgerEntry, Statement

T = datetime(2025, 7, 26, tzinfo=timezone.utc)


def entry(sid, label, speaker):
    return LedgerEntry(statement_id=sid, article_id=sid.split(":")[0], label=label, time=T, speaker=speaker, text=f"{label} text", confidence=0.9, parties=["Thailand", "Cambodia"])


def test_dispute_alert_names_both_speakers_and_keeps_the_record():
    dispute = Dispute(dispute_id="d1", status="disputed", pair="Cambodia | Thailand", parties=["Cambodia", "Thailand"],
                      claim=entry("a:1", "claim", "Trump"), denial=entry("b:1", "denial", "Bangkok"), gap_hours=46, window_days=14)
    alert = dispute_alert(dispute)
    assert (alert.alert_id, alert.kind) == ("dispute:d1", "dispute")
    assert "Trump claimed" in alert.summary and "Bangkok denied it +46 h later" in alert.summary
    assert alert.record["denial"]["statement_id"] == "b:1"
    uncontested = dispute_alert(dispute.model_copy(update={"status": "uncontested", "denial": None, "gap_hours": None}))
    assert uncontested.kind == "uncontested" and "Uncontested" in uncontested.summary


def test_one_claim_alert_per_article_for_watched_parties_only():
    statements = [
        Statement(index=0, text="headline claim", label="claim", confidence=0.7, scores={}, parties=["Thailand", "Cambodia"]),
        Statement(index=1, text="lead claim", label="claim", confidence=0.95, scores={}, speaker="Trump", parties=["Thailand", "Cambodia"]),
        Statement(index=2, text="other claim", label="claim", confidence=0.99, scores={}, parties=["Israel", "Hamas"]),
    ]
    result = ArticleResult(id="a", title="T", source="Wire", model_version="v", statements=statements, counts={}, stance="claim", disputed=False)
    [alert] = claim_alerts(result, {"Cambodia"})
    assert (alert.alert_id, alert.record["statement"]["text"]) == ("claim:a", "lead claim")
    assert claim_alerts(result, {"Sudan"}) == []

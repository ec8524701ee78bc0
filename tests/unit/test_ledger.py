from datetime import datetime, timedelta, timezone

from pipeline.schema import ArticleResult, LedgerEntry, Statement
from pipeline.stream.ledger import empty_record, expire, ledger_entries, observe, pair_key, pairs_for, record_statement, settle_expired

WINDOW = timedelta(days=14)
T0 = datetime(2025, 7, 26, 12, tzinfo=timezone.utc)


def entry(sid: str, label: str, days: float, parties=("Thailand", "Cambodia"), speaker="X") -> LedgerEntry:
    return LedgerEntry(statement_id=sid, article_id=sid.split(":")[0], label=label, time=T0 + timedelta(days=days), speaker=speaker, text=f"{label} {sid}", confidence=0.9, parties=list(parties))


def test_pairs_are_order_free_and_single_parties_join_known_pairs():
    assert pair_key("Thailand", "Cambodia") == pair_key("Cambodia", "Thailand") == "Cambodia | Thailand"
    assert pairs_for(entry("a:1", "claim", 0, ("Thailand", "Cambodia", "Malaysia")), []) == [
        "Cambodia | Malaysia", "Cambodia | Thailand", "Malaysia | Thailand"
    ]
    known = ["Cambodia | Thailand", "Hamas | Israel"]
    assert pairs_for(entry("b:1", "denial", 0, ("Thailand",)), known) == ["Cambodia | Thailand"]


def test_denial_within_window_disputes_a_claim_once():
    record, key = empty_record(), "Cambodia | Thailand"
    assert observe(record, key, entry("a:1", "claim", 0, speaker="Trump"), WINDOW) == []
    [dispute] = observe(record, key, entry("b:2", "denial", 3, speaker="the Thai foreign ministry"), WINDOW)
    assert dispute.status == "disputed" and dispute.parties == ["Cambodia", "Thailand"]
    assert (dispute.claim.speaker, dispute.denial.speaker, dispute.gap_hours) == ("Trump", "the Thai foreign ministry", 72.0)
    assert observe(record, key, entry("b:2", "denial", 3), WINDOW) == [], "a replayed denial adds nothing"
    assert observe(record, key, entry("b:0", "denial", 3), WINDOW) == [], "the denying article's headline adds nothing"
    assert len(observe(record, key, entry("c:1", "denial", 4), WINDOW)) == 1, "another article's denial is another dispute"


def test_claim_after_a_denial_is_also_a_dispute_but_not_outside_the_window():
    record, key = empty_record(), "Cambodia | Thailand"
    observe(record, key, entry("d:1", "denial", 0), WINDOW)
    assert len(observe(record, key, entry("c:1", "claim", 2), WINDOW)) == 1
    assert observe(record, key, entry("c:2", "claim", 30), WINDOW) == []


def test_undenied_claim_becomes_uncontested_when_the_clock_passes_its_window():
    record, key = empty_record(), "Cambodia | Thailand"
    observe(record, key, entry("a:1", "claim", 0), WINDOW)
    observe(record, key, entry("a:2", "claim", 1), WINDOW)
    observe(record, key, entry("b:1", "denial", 2), WINDOW)
    assert expire(record, key, T0 + timedelta(days=10), WINDOW) == []
    settled = expire(record, key, T0 + timedelta(days=14.5), WINDOW)
    assert settled == [], "both claims were denied within the window"
    observe(record, key, entry("e:1", "claim", 20), WINDOW)
    [uncontested] = expire(record, key, T0 + timedelta(days=35), WINDOW)
    assert (uncontested.status, uncontested.claim.statement_id, uncontested.denial) == ("uncontested", "e:1", None)
    observe(record, key, entry("f:0", "claim", 40), WINDOW)
    observe(record, key, entry("f:1", "claim", 40), WINDOW)
    assert len(expire(record, key, T0 + timedelta(days=60), WINDOW)) == 1, "one uncontested record per article"
    assert expire(record, key, T0 + timedelta(days=36), WINDOW) == [], "settled only once"


def test_old_evidence_is_dropped_after_two_windows():
    record, key = empty_record(), "Cambodia | Thailand"
    observe(record, key, entry("a:1", "claim", 0), WINDOW)
    observe(record, key, entry("b:1", "denial", 1), WINDOW)
    expire(record, key, T0 + timedelta(days=40), WINDOW)
    assert record == empty_record()


def test_ledger_entries_keep_claims_and_denials_with_parties():
    statements = [
        Statement(index=0, text="t", label="claim", confidence=0.9, scores={}, speaker="Trump", parties=["Thailand", "Cambodia"]),
        Statement(index=1, text="t", label="denial", confidence=0.8, scores={}, parties=[]),
        Statement(index=2, text="t", label="violation", confidence=0.8, scores={}, parties=["Thailand"]),
    ]
    result = ArticleResult(id="a", published_at=T0, model_version="v", statements=statements, counts={}, stance="claim", disputed=False)
    [only] = ledger_entries(result)
    assert (only.statement_id, only.label, only.time) == ("a:0", "claim", T0)


def test_a_lone_party_denial_seen_before_any_claim_still_disputes_the_later_claim():
    table: dict = {}
    assert record_statement(table, entry("d:1", "denial", 0, ("Thailand",)), WINDOW) == []
    [dispute] = record_statement(table, entry("c:1", "claim", 1, ("Thailand", "Cambodia")), WINDOW)
    assert (dispute.status, dispute.pair, dispute.denial.statement_id) == ("disputed", "Cambodia | Thailand", "d:1")
    record_statement(table, entry("s:1", "claim", 2, ("Myanmar",)), WINDOW)
    record_statement(table, entry("u:1", "claim", 3, ("India", "Pakistan")), WINDOW)
    record_statement(table, entry("x:1", "claim", 40, ("Israel", "Hamas")), WINDOW)
    settled = settle_expired(table, WINDOW)
    assert {d.pair for d in settled} == {"India | Pakistan"}, "a lone party's key never becomes a dispute of its own"

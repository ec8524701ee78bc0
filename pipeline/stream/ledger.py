"""The disputed-ceasefire ledger: per pair of parties, the claims and denials seen so far.

Pure logic on plain dicts (what the Faust table stores), so it is testable without Kafka:

* a denial about the same parties within the window of a claim (before or after it)
  makes a ``disputed`` record; so does a claim arriving after a denial;
* a claim still undenied when the ledger's clock (the newest publication time seen)
  has moved past its window becomes ``uncontested``.

A statement naming one party is matched against every pair that includes it ("Thailand
denied any deal" answers "Trump said Thailand and Cambodia agreed"), and is also kept
under that party alone, so a pair first named later still sees it (articles from
different partitions arrive in any order). Disputes are per
pair of *articles*: a headline and a lead making the same claim give one dispute, with
the first statement seen as its evidence.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import MutableMapping
from datetime import datetime, timedelta
from itertools import combinations

from pipeline.schema import ArticleResult, Dispute, LedgerEntry

PAIR_SEPARATOR = " | "
CLOCK_KEY = "__clock__"
SOLO_PREFIX = "solo: "


def pair_key(a: str, b: str) -> str:
    return PAIR_SEPARATOR.join(sorted((a, b)))


def pair_parties(key: str) -> list[str]:
    return key.split(PAIR_SEPARATOR)


def ledger_entries(result: ArticleResult) -> list[LedgerEntry]:
    """Claims and denials of a classified article that name at least one party."""
    time = result.published_at or result.ingested_at or result.classified_at
    return [
        LedgerEntry(
            statement_id=f"{result.id}:{s.index}", article_id=result.id, label=s.label, time=time, speaker=s.speaker,
            text=s.text, confidence=s.confidence, parties=s.parties, url=result.url, title=result.title, source=result.source,
        )
        for s in result.statements
        if s.label in ("claim", "denial") and s.parties
    ]


def pairs_for(entry: LedgerEntry, known_pairs: list[str]) -> list[str]:
    """Every pair the statement concerns: pairs of its parties, or known pairs including its only party."""
    parties = sorted(set(entry.parties))
    if len(parties) >= 2:
        return [pair_key(a, b) for a, b in combinations(parties, 2)]
    return [key for key in known_pairs if parties[0] in pair_parties(key)]


def empty_record() -> dict:
    """claims/denials: statement id -> entry; emitted: dispute id -> claim article id; settled: claim article ids."""
    return {"claims": {}, "denials": {}, "emitted": {}, "settled": {}}


def dispute_id(key: str, claim_article: str, denial_article: str | None) -> str:
    basis = f"{key}|{claim_article}|{denial_article or 'uncontested'}"
    return hashlib.sha256(basis.encode()).hexdigest()[:32]


def observe(record: dict, key: str, entry: LedgerEntry, window: timedelta) -> list[Dispute]:
    """Add a claim or denial to a pair's record; return the disputes it creates (each only once)."""
    own, other = ("claims", "denials") if entry.label == "claim" else ("denials", "claims")
    record[own][entry.statement_id] = entry.model_dump(mode="json")
    disputes = []
    for counterpart in map(LedgerEntry.model_validate, record[other].values()):
        if abs(counterpart.time - entry.time) > window:
            continue
        claim, denial = (entry, counterpart) if entry.label == "claim" else (counterpart, entry)
        dispute = make_dispute(key, claim, denial, window)
        if dispute.dispute_id not in record["emitted"]:
            record["emitted"][dispute.dispute_id] = claim.article_id
            disputes.append(dispute)
    return disputes


def expire(record: dict, key: str, clock: datetime, window: timedelta) -> list[Dispute]:
    """Settle claims whose window has passed: undenied articles' claims become uncontested; old evidence is dropped."""
    disputes = []
    for claim in [LedgerEntry.model_validate(c) for c in record["claims"].values()]:
        if clock - claim.time <= window or claim.article_id in record["settled"]:
            continue
        record["settled"][claim.article_id] = True
        if claim.article_id not in record["emitted"].values():
            disputes.append(make_dispute(key, claim, None, window))
    horizon = clock - 2 * window
    for kind in ("claims", "denials"):
        record[kind] = {k: v for k, v in record[kind].items() if LedgerEntry.model_validate(v).time >= horizon}
    live_articles = {LedgerEntry.model_validate(c).article_id for c in record["claims"].values()}
    record["emitted"] = {d: a for d, a in record["emitted"].items() if a in live_articles}
    record["settled"] = {a: True for a in record["settled"] if a in live_articles}
    return disputes


def make_dispute(key: str, claim: LedgerEntry, denial: LedgerEntry | None, window: timedelta) -> Dispute:
    return Dispute(
        dispute_id=dispute_id(key, claim.article_id, denial.article_id if denial else None),
        status="disputed" if denial else "uncontested",
        pair=key,
        parties=pair_parties(key),
        claim=claim,
        denial=denial,
        gap_hours=round((denial.time - claim.time).total_seconds() / 3600, 2) if denial else None,
        window_days=window.total_seconds() / 86400,
    )


def solo_key(party: str) -> str:
    return SOLO_PREFIX + party


def is_pair_key(key: str) -> bool:
    return PAIR_SEPARATOR in key and not key.startswith(SOLO_PREFIX)


def new_pair_record(table: MutableMapping, key: str) -> dict:
    """A pair's first record starts with what its parties said alone before the pair was named."""
    record = empty_record()
    for party in pair_parties(key):
        solo = table.get(solo_key(party)) or empty_record()
        for kind in ("claims", "denials"):
            record[kind].update(solo[kind])
    return record


def record_statement(table: MutableMapping, entry: LedgerEntry, window: timedelta) -> list[Dispute]:
    """Record a claim or denial under every pair it concerns (and a lone party's own key); advance the clock."""
    parties = sorted(set(entry.parties))
    if len(parties) == 1:
        solo = table.get(solo_key(parties[0])) or empty_record()
        solo["claims" if entry.label == "claim" else "denials"][entry.statement_id] = entry.model_dump(mode="json")
        table[solo_key(parties[0])] = solo
    disputes = []
    for key in pairs_for(entry, [k for k in table.keys() if is_pair_key(k)]):
        record = table.get(key) or new_pair_record(table, key)
        disputes += observe(record, key, entry, window)
        table[key] = record
    clock = table.get(CLOCK_KEY)
    if clock is None or entry.time > datetime.fromisoformat(clock):
        table[CLOCK_KEY] = entry.time.isoformat()
    return disputes


def settle_expired(table: MutableMapping, window: timedelta) -> list[Dispute]:
    """Settle every pair against the clock and prune old evidence; a record is rewritten only when it changed."""
    clock = table.get(CLOCK_KEY)
    if clock is None:
        return []
    now = datetime.fromisoformat(clock)
    disputes = []
    for key in [k for k in table.keys() if k != CLOCK_KEY]:
        record = table[key]
        before = json.dumps(record, sort_keys=True)
        settled = expire(record, key, now, window)
        if json.dumps(record, sort_keys=True) != before:
            table[key] = record
        if is_pair_key(key):
            disputes += settled
    return disputes

"""What an alert says: built from a dispute record or a classified article's claims."""

from __future__ import annotations

from pydantic import BaseModel, Field

from pipeline.schema import ArticleResult, Dispute, utc_now


class Alert(BaseModel):
    alert_id: str
    kind: str  # "dispute", "uncontested" or "claim"
    summary: str
    parties: list[str]
    created_at: str = Field(default_factory=lambda: utc_now().isoformat())
    record: dict


def dispute_alert(dispute: Dispute) -> Alert:
    claim, denial = dispute.claim, dispute.denial
    claimant = claim.speaker or claim.source or "an outlet"
    if denial is not None:
        denier = denial.speaker or denial.source or "an outlet"
        summary = (
            f"Disputed ceasefire ({' - '.join(dispute.parties)}): {claimant} claimed \"{claim.text}\" "
            f"and {denier} denied it {dispute.gap_hours:+.0f} h later: \"{denial.text}\""
        )
    else:
        summary = f"Uncontested ceasefire claim ({' - '.join(dispute.parties)}) by {claimant}: \"{claim.text}\""
    return Alert(alert_id=f"dispute:{dispute.dispute_id}", kind=dispute.status if denial is None else "dispute", summary=summary, parties=dispute.parties, record=dispute.model_dump(mode="json"))


def claim_alerts(result: ArticleResult, watched: set[str]) -> list[Alert]:
    """At most one alert per article: its strongest claim naming a watched party."""
    claims = [s for s in result.statements if s.label == "claim" and watched.intersection(s.parties)]
    if not claims:
        return []
    statement = max(claims, key=lambda s: s.confidence)
    who = statement.speaker or result.source or "an outlet"
    return [
        Alert(
            alert_id=f"claim:{result.id}",
            kind="claim",
            summary=f"Ceasefire claim ({', '.join(statement.parties)}) by {who}: \"{statement.text}\" - {result.title} {result.url or ''}".strip(),
            parties=statement.parties,
            record={
                "article_id": result.id, "url": result.url, "title": result.title, "source": result.source,
                "published_at": result.published_at.isoformat() if result.published_at else None,
                "statement": statement.model_dump(),
            },
        )
    ]

"""Who says it and whom it concerns: from tagged spans to names.

The token head marks speaker and party mentions in the sentence and, when the
sentence only says "he" or "both sides", in the preceding context. This module
turns those marks into strings: the speaker as written (a pronoun resolved to the
last named speaker), and the parties normalised with ``config/gazetteer.yaml``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from pipeline.settings import CONFIG_DIR

GAZETTEER_FILE = CONFIG_DIR / "gazetteer.yaml"

PRONOUNS = {"he", "she", "they", "it", "we", "i", "him", "her", "them", "his", "its", "their", "our", "my"}
GENERIC_REFERENCE = re.compile(
    r"^(?:the|that|this)\s+(?:[a-z]+\s+)?(?:ministry|spokesman|spokeswoman|spokesperson|president|premier|"
    r"prime minister|minister|official|officials|army|military|government|group|movement|statement|"
    r"commander|envoy|leader|office|source|sources|militia|rebels|agency|council|mission)$",
    re.IGNORECASE,
)
POSSESSIVE = re.compile(r"(?:'s|\u2019s|'|\u2019)$")
EDGE_PUNCTUATION = "\"'\u201c\u201d\u2018\u2019()[],.;:!?-\u2014 "


@dataclass(frozen=True)
class Mention:
    """A tagged span: its words, whether it lies in the sentence (else the context), and its mean tag probability."""

    text: str
    in_sentence: bool
    score: float


def clean_mention(text: str) -> str:
    """Trim punctuation and possessives; a leading article is lower-cased, as the guide writes it."""
    text = POSSESSIVE.sub("", text.strip(EDGE_PUNCTUATION)).strip(EDGE_PUNCTUATION)
    if text[:4] in ("The ", "THE "):
        text = "the " + text[4:]
    return " ".join(text.split())


def needs_antecedent(mention: str) -> bool:
    """A pronoun or a bare reference ("the ministry") names nobody by itself."""
    return mention.lower() in PRONOUNS or bool(GENERIC_REFERENCE.match(mention))


PERSONAL_PRONOUNS = {"he", "she", "him", "her", "his", "i", "my"}
IMPERSONAL_PRONOUNS = {"it", "its"}


def is_person_like(name: str) -> bool:
    """A rough guess that a speaker is a person: not a country or group, not "the ministry", not an acronym."""
    return bool(name) and not name.startswith(("the ", "a ", "an ")) and not name.isupper() and not gazetteer().find(name)


def fits_pronoun(pronoun: str, name: str) -> bool:
    """'he'/'she' need a person, 'it' an institution; 'they' and bare references take either."""
    word = pronoun.lower()
    if word in PERSONAL_PRONOUNS:
        return is_person_like(name)
    if word in IMPERSONAL_PRONOUNS:
        return not is_person_like(name)
    return True


def choose_speaker(mentions: list[Mention]) -> tuple[str, str]:
    """Return (speaker, unresolved mention).

    A name tagged in the sentence wins. Otherwise a name tagged in the context: the model
    only marks one there when the sentence points back to it ("he said"). Otherwise the
    sentence's pronoun is returned unresolved, for the article to resolve.
    """
    ranked = sorted(mentions, key=lambda m: (not m.in_sentence, -m.score))
    named = [m for m in ranked if not needs_antecedent(m.text)]
    if named:
        return named[0].text, ""
    return "", ranked[0].text if ranked and ranked[0].in_sentence else ""


class Gazetteer:
    """Canonical names for countries, governments' seats and armed groups."""

    def __init__(self, canonical_by_alias: dict[str, str]) -> None:
        self.canonical_by_alias = canonical_by_alias
        aliases = sorted(canonical_by_alias, key=len, reverse=True)
        self.pattern = re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, aliases)) + r")(?![\w-])")

    @classmethod
    def from_file(cls, path: Path = GAZETTEER_FILE) -> "Gazetteer":
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        table = {}
        for section in ("countries", "groups"):
            for canonical, aliases in data[section].items():
                for alias in [canonical, *(aliases or [])]:
                    table[alias] = canonical
        return cls(table)

    def find(self, text: str) -> list[tuple[int, int, str]]:
        """Every known name in ``text`` as (start, end, canonical)."""
        return [(m.start(), m.end(), self.canonical_by_alias[m.group()]) for m in self.pattern.finditer(text)]

    def canonical(self, mention: str) -> str:
        """The canonical name of a mention ("Thai troops" -> "Thailand"), or the mention as written."""
        found = self.find(mention)
        return found[0][2] if found else mention

    def aliases_of(self, canonical: str) -> list[str]:
        return [alias for alias, name in self.canonical_by_alias.items() if name == canonical]


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    return Gazetteer.from_file()


NAME_CONNECTORS = {"of", "the", "de", "del", "du", "al", "el", "for"}
GROUP_NOUNS = {
    "separatists", "rebels", "militias", "militia", "fighters", "groups", "bandits", "forces", "troops", "army",
    "militants", "insurgents", "gangs", "factions", "tribes", "brigade", "brigades",
}


WORD = re.compile(r"[\w'\u2019.-]+")


def words_of(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group()) for m in WORD.finditer(text)]


def is_name_word(words: list[tuple[int, int, str]], i: int) -> bool:
    """Capitalised or a number, or a connector inside a name ("Democratic Republic of the Congo")."""
    word = words[i][2]
    if word in ("The", "A", "An"):
        return False
    if word[0].isupper() or word[0].isdigit():
        return True
    return word in NAME_CONNECTORS and i + 1 < len(words) and words[i + 1][2][0].isupper()


def name_run(text: str, start: int, end: int) -> tuple[tuple[int, int], tuple[int, int]]:
    """The words a span covers, and the run of capitalised words around them ("Brotherhood Alliance" in "Three Brotherhood Alliance")."""
    words = words_of(text)
    inside = [i for i, (s, e, _) in enumerate(words) if s < end and start < e]
    if not inside:
        return (start, end), (start, end)
    first, last = inside[0], inside[-1]
    covered = (words[first][0], words[last][1])
    while first > 0 and words[first - 1][1] + 1 == words[first][0] and is_name_word(words, first - 1):
        first -= 1
    while last + 1 < len(words) and words[last][1] + 1 == words[last + 1][0] and is_name_word(words, last + 1):
        last += 1
    return covered, (words[first][0], words[last][1])


def looks_like_party(mention: str) -> bool:
    """A name ("Karen National Union", "al-Shabaab", "400 Mawozo") or a group noun ("pro-Russian separatists"), not a stray verb."""
    return any(ch.isupper() or ch.isdigit() for ch in mention) or mention.split()[-1].lower() in GROUP_NOUNS


def party_name(text: str, start: int, end: int) -> str:
    """The party a tagged span names, normalised; "" for spans that are not a party.

    A span cut from a longer name ("Hun" of "Hun Manet") counts only when the gazetteer
    knows a name there that overlaps it; otherwise it is a person or a stray fragment.
    """
    mention = clean_mention(text[start:end])
    if not mention or gazetteer().find(mention):
        return gazetteer().canonical(mention) if mention else ""
    covered, (run_start, run_end) = name_run(text, start, end)
    known = [name for s, e, name in gazetteer().find(text[run_start:run_end]) if run_start + s < covered[1] and covered[0] < run_start + e]
    if known:
        return known[0]
    return mention if covered == (run_start, run_end) and looks_like_party(mention) else ""


def choose_parties(mentions: list[Mention]) -> list[str]:
    """Parties named in the sentence, else those the context names for "both sides"; in order, once each."""
    chosen = [m for m in mentions if m.in_sentence] or [m for m in mentions if not m.in_sentence]
    names: list[str] = []
    for mention in chosen:
        name = gazetteer().canonical(mention.text)
        if name and name not in names:
            names.append(name)
    return names

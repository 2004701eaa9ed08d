"""A labelled set of person records for the duplicate search: people, each with 1-3 noisy copies (typos, swapped
names, accents dropped, missing or reformatted values, moved phones, changed addresses). Seeded, so reproducible.

    from bench.data.people import generate
    records = generate(people=5000, seed=7)   # [{"person": 0, "given_name": ..., ...}, ...]

`person` is the label: records with the same person are duplicates of each other, and no others are.
"""

from __future__ import annotations

import random
from dataclasses import asdict, dataclass

_ONSETS = "b c d f g h j k l m n p r s t v w z br ch cl dr fr gr kr pl sh st th tr".split()
_VOWELS = "a e i o u a e i o ai ei ou ia é ü ø".split()
_CODAS = ["", "", "", "n", "r", "l", "s", "t", "m", "nd", "rt", "ck", "ss", "ne", "th"]
DOMAINS = ["example.com", "mail.example.org", "corp.example.net", "inbox.example.io", "post.example.de"]
#: (country code, national number length, trunk prefix)
COUNTRIES = [("1", 10, "1"), ("44", 10, "0"), ("49", 10, "0"), ("33", 9, "0")]
STREETS = ["Main Street", "High Street", "Market Square", "Station Road", "Park Lane", "Mill Way", "Church Lane"]
CITIES = ["Berlin", "London", "Paris", "Boston", "Munich", "Leeds", "Lyon", "Denver", "Hamburg", "Bristol"]


@dataclass
class PersonRecord:
    person: int
    given_name: str
    surname: str
    email: str
    mobile_phone: str
    business_phone: str
    street: str
    city: str

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.surname}".strip()


def _word(rng: random.Random, syllables: int) -> str:
    parts = [rng.choice(_ONSETS) + rng.choice(_VOWELS) for _ in range(syllables)]
    return ("".join(parts) + rng.choice(_CODAS)).capitalize()


def name_pools(rng: random.Random) -> tuple[list[str], list[str]]:
    """~600 given names and ~3000 surnames, made of syllables (some accented)."""
    given = sorted({_word(rng, rng.choice((1, 2, 2))) for _ in range(700)})
    surnames = sorted({_word(rng, rng.choice((2, 2, 3))) for _ in range(3500)})
    return given, surnames


def _common_or_any(rng: random.Random, pool: list[str]) -> str:
    """Three draws in ten come from the most common 5% of the pool: namesakes exist, as in real data."""
    if rng.random() < 0.3:
        return pool[rng.randrange(max(1, len(pool) // 20))]
    return rng.choice(pool)


def _phone(rng: random.Random) -> tuple[str, str, str]:
    code, length, trunk = rng.choice(COUNTRIES)
    national = str(rng.randint(2, 9)) + "".join(str(rng.randint(0, 9)) for _ in range(length - 1))
    return code, national, trunk


def write_phone(rng: random.Random, phone: tuple[str, str, str]) -> str:
    """One of the ways people write a number: international, national with trunk prefix, with separators."""
    code, national, trunk = phone
    style = rng.randrange(5)
    if style == 0:
        return f"+{code} {national[:3]} {national[3:6]} {national[6:]}"
    if style == 1:
        return f"+{code}{national}"
    if style == 2:
        return f"00{code} ({national[:3]}) {national[3:6]}-{national[6:]}"
    if style == 3:
        prefix = trunk if code != "1" else ""
        return f"{prefix}{national[:3]} {national[3:]}"
    return f"({national[:3]}) {national[3:6]}-{national[6:]}" if code == "1" else f"{trunk}{national}"


def _typo(rng: random.Random, word: str) -> str:
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 1)  # the first letter is rarely mistyped
    kind = rng.randrange(4)
    if kind == 0:
        return word[:i] + word[i + 1 :]
    if kind == 1:
        return word[:i] + rng.choice("aeiourstnl") + word[i:]
    if kind == 2:
        return word[:i] + rng.choice("aeiourstnl") + word[i + 1 :]
    return word[: i - 1] + word[i] + word[i - 1] + word[i + 1 :]


def _strip_accents(word: str) -> str:
    return word.translate(str.maketrans("éüø", "euo"))


def noisy_copy(rng: random.Random, original: PersonRecord, phones: dict) -> PersonRecord:
    given, surname = original.given_name, original.surname
    if rng.random() < 0.35:
        if rng.random() < 0.5:
            given = _typo(rng, given)
        else:
            surname = _typo(rng, surname)
    if rng.random() < 0.15:
        given, surname = _strip_accents(given), _strip_accents(surname)
    if rng.random() < 0.1:
        given, surname = given.upper(), surname.upper()
    if rng.random() < 0.2:
        given, surname = surname, given  # typed into the wrong boxes: the full name is swapped
    email = original.email
    roll = rng.random()
    if roll < 0.25:
        email = ""
    elif roll < 0.3:
        email = f"{_strip_accents(original.given_name.lower())}.{rng.randint(1, 99)}@{rng.choice(DOMAINS)}"  # new
    elif roll < 0.4:
        email = email.upper()
    mobile = write_phone(rng, phones["mobile"]) if rng.random() < 0.7 else ""
    business = write_phone(rng, phones["business"]) if phones["business"] and rng.random() < 0.6 else ""
    if mobile and rng.random() < 0.15:
        mobile, business = "", mobile  # the mobile number typed in the business field
    street, city = original.street, original.city
    if rng.random() < 0.5:
        street, city = f"{rng.randint(1, 200)} {rng.choice(STREETS)}", rng.choice(CITIES)  # moved
    return PersonRecord(original.person, given, surname, email, mobile, business, street, city)


def generate(people: int = 5000, *, seed: int = 7, copies: tuple[int, int] = (1, 3)) -> list[dict]:
    """`people` originals, each followed by 1-3 noisy copies, shuffled. Dicts with the PersonRecord fields and
    `full_name`."""
    rng = random.Random(seed)
    given_pool, surname_pool = name_pools(rng)
    records = []
    used_emails = set()
    for person in range(people):
        given, surname = _common_or_any(rng, given_pool), _common_or_any(rng, surname_pool)
        local = f"{given.lower()}.{surname.lower()}"
        local = _strip_accents(local)
        email = f"{local}@{rng.choice(DOMAINS)}"
        while email in used_emails:
            email = f"{local}{rng.randint(1, 9999)}@{rng.choice(DOMAINS)}"
        used_emails.add(email)
        phones = {"mobile": _phone(rng), "business": _phone(rng) if rng.random() < 0.5 else None}
        original = PersonRecord(
            person,
            given,
            surname,
            email,
            write_phone(rng, phones["mobile"]),
            write_phone(rng, phones["business"]) if phones["business"] else "",
            f"{rng.randint(1, 200)} {rng.choice(STREETS)}",
            rng.choice(CITIES),
        )
        records.append(original)
        for _ in range(rng.randint(*copies)):
            records.append(noisy_copy(rng, original, phones))
    rng.shuffle(records)
    return [{**asdict(r), "full_name": r.full_name} for r in records]


def true_pairs(records: list[dict], ids: list[int]) -> set[tuple[int, int]]:
    """The labelled duplicate pairs, as (smaller id, larger id) of the stored records."""
    by_person: dict[int, list[int]] = {}
    for record, pk in zip(records, ids, strict=True):
        by_person.setdefault(record["person"], []).append(pk)
    pairs = set()
    for members in by_person.values():
        members.sort()
        pairs.update((a, b) for i, a in enumerate(members) for b in members[i + 1 :])
    return pairs

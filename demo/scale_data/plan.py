"""How many of each thing a scale asks for, and what one section hands to the next."""

import hashlib
import random
from dataclasses import dataclass, field

# The full scale (N = 1); every figure is multiplied by N, at least 1 of each.
FULL_SCALE = {
    "purchasers": 21,
    "providers": 3000,
    "networks": 30,
    "programmes": 300,
    "contracts": 8000,
    "rulebook_versions": 600,
    "comments": 250_000,
    "arenas": 63,
    "meetings": 60_000,
    "agenda_items": 500_000,
    "action_items": 30_000,
    "concerns": 6000,
    "pulse_answers": 200_000,
}
CLAUSES_PER_VERSION = 120
MILESTONES_PER_PROGRAMME = 12
MILESTONES_PER_CONTRACT = 2
OBLIGATIONS_PER_CONTRACT = 3
PARTICIPANTS_PER_PROGRAMME = 20
ARENA_MEMBERS = 15
INVITED_PER_MEETING = 5
NETWORK_MEMBERS = 10

# Marks what the generator made, so that a second run can refuse (or --replace can find it).
USERNAME_PREFIX = "scale-"
OFFICIAL_ID_PREFIX = "SCALE-"

COUNTRIES = [
    # country, language, framework, currency, time zone
    ("SE", "sv", "se_care_choice", "SEK", "Europe/Stockholm"),
    ("GB", "en", "uk_provider_selection", "GBP", "Europe/London"),
    ("NO", "nb", "no_cooperation_agreement", "NOK", "Europe/Oslo"),
]


def sizes(scale: float) -> dict[str, int]:
    return {name: max(1, round(full * scale)) for name, full in FULL_SCALE.items()}


def rng(seed: int, section: str) -> random.Random:
    """One generator per section: a section's rows do not change when another's do."""
    return random.Random(f"{seed}:{section}")


def token_hash(seed: int, number: int) -> str:
    return hashlib.sha256(f"scale-pulse:{seed}:{number}".encode()).hexdigest()


@dataclass
class Built:
    """The ids the later sections need, by the index the generator gave each thing."""

    seed: int
    sizes: dict[str, int]
    purchasers: list[int] = field(default_factory=list)
    purchaser_country: list[int] = field(default_factory=list)  # index into COUNTRIES
    political_bodies: list[int] = field(default_factory=list)
    managers: list[int] = field(default_factory=list)  # user id per purchaser
    officers: list[int] = field(default_factory=list)
    providers: list[int] = field(default_factory=list)
    provider_home: list[int] = field(default_factory=list)  # purchaser index per provider
    networks: list[int] = field(default_factory=list)
    representative: dict[int, int] = field(default_factory=dict)  # organisation -> user
    programmes: list[int] = field(default_factory=list)
    programme_purchaser: list[int] = field(default_factory=list)  # purchaser index
    participants: list[list[int]] = field(default_factory=list)  # organisation ids
    contracts: list[int] = field(default_factory=list)
    clauses: dict[int, list[tuple[int, str]]] = field(default_factory=dict)  # version -> rows
    # (version id, programme index, status, created at), oldest first per rulebook
    rulebook_versions: list[tuple] = field(default_factory=list)
    # (meeting id, purchaser index, programme id, arena id, starts at, [present organisations])
    held_meetings: list[tuple] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    written: list[type] = field(default_factory=list)  # the models whose tables were written

    def count(self, name: str, number: int) -> None:
        self.counts[name] = self.counts.get(name, 0) + number

    def pool(self, purchaser_index: int) -> list[int]:
        """The providers whose home is this purchaser (whom it commissions from)."""
        return [
            provider
            for provider, home in zip(self.providers, self.provider_home, strict=True)
            if home == purchaser_index
        ]

"""The exact game model: numbers, games, profiles and expected utility."""

from exactgames.model.counts import count_vectors, multinomial
from exactgames.model.exact import (
    ExactError,
    FloatRefusedError,
    compare,
    exact_max,
    rational_enclosure,
    sign,
    to_arb,
    to_fmpq,
)
from exactgames.model.game import AnonymousGame, Game
from exactgames.model.parse import parse_exact
from exactgames.model.profile import Profile, is_pure, make_profile, parse_profile, pure_profile, support, symmetric_profile
from exactgames.model.utility import (
    SymmetricEU,
    count_coefficients,
    deviation_payoffs,
    expected_utilities,
    expected_utility,
    symmetric_eu_mpoly,
    symmetric_eu_polynomial,
)

__all__ = [
    "ExactError", "FloatRefusedError", "compare", "exact_max", "parse_exact", "rational_enclosure", "sign", "to_arb",
    "to_fmpq", "AnonymousGame", "Game", "count_vectors", "multinomial", "Profile", "is_pure", "make_profile",
    "parse_profile", "pure_profile", "support", "symmetric_profile", "SymmetricEU", "count_coefficients",
    "deviation_payoffs", "expected_utilities", "expected_utility", "symmetric_eu_mpoly", "symmetric_eu_polynomial",
]

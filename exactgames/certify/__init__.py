"""Certification: Nash gain, degeneracy, local optimality (symmetric and asymmetric), robustness."""

from exactgames.certify.asymmetric import coalition_shift_witness, locally_optimal_asymmetric, pure_radius_certificate
from exactgames.certify.degeneracy import DegeneracyVerdict, GameDegeneracy, game_degeneracy, profile_degeneracy
from exactgames.certify.local_poly import LocalPolyVerdict, local_max_on_simplices
from exactgames.certify.local_symmetric import locally_optimal_symmetric
from exactgames.certify.nash import NashCertificate, best_responses, is_epsilon_nash, nash_certificate
from exactgames.certify.robustness import (
    DistanceCheck,
    PerturbationCheck,
    WorstCasePerturbation,
    kl_divergence,
    kl_robustness,
    perturbation_robustness,
    perturbation_size,
    total_variation,
    tv_robustness,
    worst_case_perturbation,
)
from exactgames.certify.verdicts import Analysis, analyze, attach_verdicts, profile_verdicts
from exactgames.certify.witness import ImprovingWitness, LocalOptimality

__all__ = [
    "NashCertificate",
    "best_responses",
    "is_epsilon_nash",
    "nash_certificate",
    "DegeneracyVerdict",
    "GameDegeneracy",
    "profile_degeneracy",
    "game_degeneracy",
    "LocalPolyVerdict",
    "local_max_on_simplices",
    "ImprovingWitness",
    "LocalOptimality",
    "locally_optimal_symmetric",
    "locally_optimal_asymmetric",
    "pure_radius_certificate",
    "coalition_shift_witness",
    "PerturbationCheck",
    "WorstCasePerturbation",
    "DistanceCheck",
    "perturbation_size",
    "perturbation_robustness",
    "worst_case_perturbation",
    "total_variation",
    "tv_robustness",
    "kl_divergence",
    "kl_robustness",
    "profile_verdicts",
    "attach_verdicts",
    "analyze",
    "Analysis",
]

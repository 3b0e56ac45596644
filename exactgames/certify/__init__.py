"""Certification: Nash gain, degeneracy, local optimality in asymmetric space, robustness."""

from exactgames.certify.nash import NashCertificate, best_responses, is_epsilon_nash, nash_certificate

__all__ = ["NashCertificate", "best_responses", "is_epsilon_nash", "nash_certificate"]

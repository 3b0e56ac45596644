"""GAMUT experiments: generators, numeric baselines, sweeps and their store, reports."""

"""Synthetic Sumatera Barat register (SIAK-style exports), sites and rosters for demos, tests
and benchmarks. See docs/demo-data.md.

    from rekam.demo import generate
    summary = generate(Path("demo-data"), scale=0.01, seed=20241113)
"""

from .generate import GenerateSummary, generate

__all__ = ["GenerateSummary", "generate"]

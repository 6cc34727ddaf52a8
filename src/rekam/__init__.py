"""rekam: KTP-el recording coverage, by-name lists and outreach planning for Dinas Dukcapil.

The library is the front door (``rekam.api``); the CLI (``rekam.cli``) and, later, the web
app are thin adapters over it.
"""

__version__ = "0.1.0"

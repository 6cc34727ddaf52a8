"""Outputs people hold in their hands: Excel workbooks, CSV, (later) PDF."""

"""A PDF's text as a reader copying it gets it (pdftotext, from poppler-utils)."""

import subprocess


def pdf_pages(path) -> list[str]:
    """The text of each page, its white space as pdftotext lays it out."""
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    return out.split("\f")


def pdf_text(path) -> str:
    """The whole text, each run of white space one space."""
    return " ".join(" ".join(pdf_pages(path)).split())

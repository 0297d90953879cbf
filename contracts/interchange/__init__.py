"""Rulebooks in and out of files: readers of .docx, .odt and Markdown that find the numbered
clauses of a document (parsed.py holds what they share), the matching of an imported edition
to the clauses of the rulebook's latest version (matching.py), and the .docx export of a
version and of the redline between two (docx_export.py, redline.py)."""

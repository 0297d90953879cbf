"""The dates and times of the pages and emails, one style per language, the same as the PDFs'
(workers/templatetags/document_format.py, Babel's long date and the locale's own joining of
a date and a time): "4 december 2026 21:30" in Swedish, "4. desember 2026, 21:30" in
Norwegian, "4 December 2026, 21:30" in English; never "Dec. 4, 2026, 9:30 p.m.". Read by
Django through FORMAT_MODULE_PATH; tests/commissioning/test_formats.py holds the two alike."""

"""Readers and writers of every outside format: the catalogue folder (YAML role files), the
CSV bundle, the Excel workbook, O*NET text releases, and job descriptions as Markdown, HTML
and Word. Every ZIP-based input goes through the one guard in `archive`."""

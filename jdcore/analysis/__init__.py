"""What the pages compute from a loaded catalogue: indices, duty matching, comparisons,
findings, interactions, the org chart and the duty and role views. Plain functions over the
tables; nothing here reads or writes files."""

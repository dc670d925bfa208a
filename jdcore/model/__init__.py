"""The catalogue model: what a catalogue is, independent of where it is read from.

The schema of a role and of the taxonomy, the strict YAML reader, the checks, the tables'
columns and dtypes, the derived metrics, problems, labels and the English wording of
sentences about them. Imports nothing from the rest of jdcore.
"""

"""Quality evaluations: recall, precision, ARI, F1 against gold data."""

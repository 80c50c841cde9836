"""Speed benchmarks: the commands a user runs, each beside its anchor measured in the same run."""

"""Compare two versions of a story: align, score each pair with sacrebleu, run bilingual checks."""

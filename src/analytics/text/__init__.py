"""Text handling: normalization with an offset map, sentences, tokens and clitics."""

"""Sentence segmentation, the ceasefire statement classifier, and attribution of speakers and parties."""

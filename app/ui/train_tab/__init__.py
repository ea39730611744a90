"""The Train tab: the sequences editor, the model & training settings and the live plots."""

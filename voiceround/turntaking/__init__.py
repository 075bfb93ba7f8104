"""Turn-taking decisions, pure: speech probabilities and times in, decisions out (no model, no
clock, no I/O). ``endpointing``: when the candidate's turn ends; ``bargein``: when the candidate
takes the turn while the interviewer speaks."""

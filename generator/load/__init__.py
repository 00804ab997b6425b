"""Load stage: the only code that reads input files; files → typed, located facts."""

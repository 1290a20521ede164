//! Integration tests: the `ptuplan` binary as users run it.

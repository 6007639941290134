//! Integration tests: textbook.

"""Pages of the documentation site built from the code when the site is built."""

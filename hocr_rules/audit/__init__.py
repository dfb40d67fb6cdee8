"""Statistics and sampling for ``hocr audit``: rates, estimates, sample sizes and reproducible samples."""

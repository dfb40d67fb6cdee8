"""Engines that evaluate the compiled pack over incidents."""

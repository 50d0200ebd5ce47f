"""restore's version, at the bottom so that any module may name it in what it writes."""

__version__ = "0.1.0"

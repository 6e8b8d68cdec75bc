"""Fixtures for the pathways tests; the participants fixtures are shared."""

from tests.participants.conftest import in_support, register  # noqa: F401

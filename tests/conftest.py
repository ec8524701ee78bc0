"""Shared fixtures. Integration tests need the real services that `make test` starts."""

from __future__ import annotations

import uuid

import pytest

from pipeline.settings import Settings


@pytest.fixture(scope="session")
def settings() -> Settings:
    return Settings()


@pytest.fixture
def unique() -> str:
    """A short random suffix so tests never share topics, indices or groups."""
    return uuid.uuid4().hex[:10]

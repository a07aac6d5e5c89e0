import pytest

from tests.dibao import helpers as h


@pytest.fixture
def officer_a(community_a):
    return h.officer(community_a)


@pytest.fixture
def panel_a(community_a, officer_a):
    return h.panel(community_a, officer_a.user)


@pytest.fixture
def case_a(community_a, officer_a):
    return h.case(community_a, officer_a.user)

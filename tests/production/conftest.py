"""One production topology for the package (tests/production/topology.py): started from the
README's commands before the first test that asks for it, stopped after the last."""

import pytest

from tests.production.topology import Topology


@pytest.fixture(scope="package")
def production():
    topology = Topology()
    try:
        yield topology.start()
    finally:
        topology.stop()


@pytest.fixture
def report(capsys):
    """Print figures for the closing note even when pytest captures output."""

    def show(title: str, figures: dict) -> None:
        with capsys.disabled():
            print(f"\n[production] {title}")
            for name, value in figures.items():
                print(f"    {name}: {value}")

    return show

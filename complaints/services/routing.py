"""Routing (分派网格): which grid a new complaint goes to."""

from disclosure.models import Grid, GridLevel, Producer
from disclosure.sites import served_grid


def township_of(grid: Grid) -> Grid | None:
    """The township a grid belongs to (itself for a township, None for the city)."""
    if grid.level == GridLevel.VILLAGE:
        return grid.parent
    if grid.level == GridLevel.TOWNSHIP:
        return grid
    return None


def route(*, producer: Producer | None = None, village: Grid | None = None,
          township: Grid | None = None) -> Grid:
    """The producer's village grid if a producer is named, else the chosen village, else the chosen
    township, else the grid the site serves (its county's 市级网格, which then routes it by hand)."""
    if producer is not None:
        return producer.village
    if village is not None:
        return village
    if township is not None:
        return township
    served = served_grid()
    if served is None:
        raise Grid.DoesNotExist("no grid is loaded")
    return served

"""Routing (分派网格): which grid a new complaint goes to."""

from disclosure.models import Grid, GridLevel, Producer


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
    township, else the city grid (which then routes it by hand)."""
    if producer is not None:
        return producer.village
    if village is not None:
        return village
    if township is not None:
        return township
    return Grid.objects.city()
